package dev.phork.storyboard;

import dev.phork.common.Ids;
import dev.phork.common.ProblemException;
import dev.phork.common.VisibleText;
import dev.phork.history.CommitService;
import dev.phork.history.CommitView;
import dev.phork.history.ProjectService;
import dev.phork.history.ProjectView;
import dev.phork.history.Scene;
import dev.phork.history.StoryboardSettings;
import dev.phork.history.Timeline;
import dev.phork.identity.Caller;
import dev.phork.identity.Role;
import dev.phork.identity.WorkspaceAccess;
import dev.phork.jobs.EventStreams;
import dev.phork.jobs.JobService;
import dev.phork.jobs.JobService.PipelineJob;
import dev.phork.jobs.JobStatus;
import dev.phork.jobs.JobType;
import dev.phork.jobs.JobView;
import dev.phork.safety.SafetyService;
import dev.phork.storyboard.Pipelines.Step;
import dev.phork.storyboard.Plan.ArtifactPlan;
import dev.phork.storyboard.Plan.ScenePlan;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Pipelines: the jobs that turn a storyboard into a rendered video, with dependencies
 * (keyframe -> clip, everything -> render), created only for stale artifacts and paid all at once.
 * When the render succeeds the pipeline commits the storyboard with its new assets and records the
 * version (see {@link PipelineEvents}).
 */
@Service
public class PipelineService {

	private final ProjectService projects;

	private final CommitService commits;

	private final JobService jobs;

	private final WorkspaceAccess access;

	private final Planner planner;

	private final Fingerprints fingerprints;

	private final StoryboardWriter writer;

	private final Pipelines pipelines;

	private final TransactionTemplate tx;

	private final SafetyService safety;

	private final ApplicationEventPublisher events;

	private final EventStreams streams;

	PipelineService(ProjectService projects, CommitService commits, JobService jobs, WorkspaceAccess access,
			Planner planner, Fingerprints fingerprints, StoryboardWriter writer, Pipelines pipelines,
			TransactionTemplate tx, SafetyService safety, ApplicationEventPublisher events, EventStreams streams) {
		this.safety = safety;
		this.events = events;
		this.streams = streams;
		this.projects = projects;
		this.commits = commits;
		this.jobs = jobs;
		this.access = access;
		this.planner = planner;
		this.fingerprints = fingerprints;
		this.writer = writer;
		this.pipelines = pipelines;
		this.tx = tx;
	}

	public record GenerateCommand(String text, int sceneCount, @Nullable StoryboardSettings settings) {

		public GenerateCommand {
			if (!VisibleText.Validator.visible(text)) {
				throw ProblemException.badRequest("validation_failed", "Give a logline or a script.");
			}
		}

	}

	/** A job a pipeline will create, as shown before anything runs. */
	public record PlannedJob(JobType type, String stage, @Nullable UUID sceneId, long cost) {
	}

	public record Estimate(long credits) {
	}

	/** The answer to generate and regenerate; {@code jobs} are the created jobs (empty on a dry run). */
	public record Started(@Nullable UUID pipelineId, String status, Estimate estimate, List<PlannedJob> planned,
			List<JobView> jobs) {
	}

	public record Stage(String name,
			@Schema(allowableValues = { "queued", "running", "succeeded", "failed", "canceled" }) String status,
			List<UUID> jobs) {
	}

	public record PipelineView(UUID id, UUID projectId, @Schema(allowableValues = { "generate", "regenerate" }) String kind,
			@Schema(allowableValues = { "running", "succeeded", "failed", "canceled" }) String status, double progress,
			List<Stage> stages, Estimate estimate, @Nullable UUID commitId, @Nullable UUID versionId, @Nullable String error) {
	}

	/**
	 * Writes a storyboard from a logline or script (the local writer is deterministic: sentences
	 * become scenes) over the head's registry and settings, then runs everything it needs. The text
	 * is screened before the writer sees it (a writer may be a language model), and what the writer
	 * made is screened with every other prompt of the pipeline's jobs.
	 */
	public Started generate(Caller caller, UUID projectId, GenerateCommand command, boolean dryRun) {
		ProjectView project = projects.writable(caller, projectId);
		safety.screen(project.workspaceId(), caller.userId(), "generate", command.text(),
				() -> access.require(caller, project.workspaceId(), Role.EDITOR));
		CommitView head = commits.inHistory(projectId, project.headCommitId()).orElseThrow();
		Timeline base = head.timeline();
		StoryboardSettings settings = command.settings() == null ? base.effectiveSettings()
				: command.settings().over(base.effectiveSettings());
		List<EntryRef> refs = base.entries().stream().map(e -> new EntryRef(e.tag(), e.name())).toList();
		List<Scene> scenes = writer.write(command.text(), command.sceneCount(), refs)
			.stream()
			.map(draft -> new Scene(Ids.newId(), draft.prompt(), draft.durationMs(), null, null, null, draft.assetTags(),
					new dev.phork.history.SceneComposition(draft.composition().shotType(),
							draft.composition().cameraMovement())))
			.toList();
		if (scenes.isEmpty()) {
			throw ProblemException.unprocessable("empty_storyboard", "The text gives no scene to generate.");
		}
		Timeline storyboard = new Timeline(settings, base.registry(), scenes);
		return start(caller, project, head, storyboard, "generate", dryRun);
	}

	/** Regenerates only what the commit made stale (plus the render when anything changed). */
	public Started regenerate(Caller caller, UUID projectId, @Nullable String commitId, boolean dryRun) {
		ProjectView project = projects.writable(caller, projectId);
		CommitView commit = commits.resolveOrHead(project, commitId);
		return start(caller, project, commit, commit.timeline(), "regenerate", dryRun);
	}

	/** The plan of a commit of the project's history (by id or tag; the head by default). */
	public Plan plan(Caller caller, UUID projectId, @Nullable String commitId) {
		ProjectView project = projects.readable(caller, projectId);
		return planner.plan(caller, project, commits.resolveOrHead(project, commitId));
	}

	/**
	 * The plan of a storyboard not committed yet (say a merge's result), as if it were the project's
	 * next commit. For a caller who may read the project.
	 */
	public Plan planOf(Caller caller, ProjectView project, Timeline storyboard) {
		CommitView head = commits.resolveOrHead(project, null);
		return planner.plan(caller, project, new CommitView(head.id(), project.id(), head.id(), null, "preview",
				storyboard, caller.userId(), head.createdAt()));
	}

	/** The pipeline, once the caller's access was checked. */
	PipelineView view(UUID pipelineId) {
		return view(pipelines.find(pipelineId).orElseThrow(() -> ProblemException.notFound("pipeline", pipelineId)));
	}

	public PipelineView get(Caller caller, UUID pipelineId) {
		return view(readable(caller, pipelineId));
	}

	/**
	 * The pipeline's Server-Sent Events for members of its workspace (404 for anyone else): one
	 * {@code progress} event per change of status, progress or stages, then {@code done}.
	 */
	public SseEmitter events(Caller caller, UUID pipelineId) {
		return streams.open(caller, readable(caller, pipelineId).workspaceId(), pipelineId, () -> view(pipelineId),
				p -> p.status() + "|" + p.progress() + "|" + p.stages(), p -> !p.status().equals("running"));
	}

	private Pipelines.Row readable(Caller caller, UUID pipelineId) {
		Pipelines.Row row = pipelines.find(pipelineId).orElseThrow(() -> ProblemException.notFound("pipeline", pipelineId));
		if (!access.isMember(caller, row.workspaceId())) {
			throw ProblemException.notFound("pipeline", pipelineId);
		}
		return row;
	}

	private Started start(Caller caller, ProjectView project, CommitView base, Timeline storyboard, String kind,
			boolean dryRun) {
		access.require(caller, project.workspaceId(), Role.EDITOR);
		Plan plan = planner.plan(caller, project, new CommitView(base.id(), project.id(), base.parentCommitId(),
				base.mergeParentId(), base.message(), storyboard, base.authorId(), base.createdAt()));
		Build build = build(project, storyboard, plan);
		screen(caller, project, kind, build.jobs());
		long estimate = build.planned().stream().mapToLong(PlannedJob::cost).sum();
		if (dryRun) {
			return new Started(null, "planned", new Estimate(estimate), build.planned(), List.of());
		}
		UUID pipelineId = build.pipelineId();
		List<JobView> created = tx.execute(status -> {
			pipelines.insert(pipelineId, project.id(), project.workspaceId(), kind, base.id(), build.storyboard(),
					build.steps(), estimate, caller.userId(), build.jobs().isEmpty());
			if (build.jobs().isEmpty()) {
				events.publishEvent(new PipelineEnded(pipelineId, project.id(), project.workspaceId(), kind, "succeeded",
						null, null, null));
				return List.<JobView>of();
			}
			return jobs.submitAll(caller, project.workspaceId(), project.id(), pipelineId, build.jobs());
		});
		return new Started(pipelineId, build.jobs().isEmpty() ? "succeeded" : "running", new Estimate(estimate),
				build.planned(), created);
	}

	/**
	 * Screens every text the pipeline's jobs will send to a provider (scene prompts with the
	 * registry descriptions folded in, sound-bed texts with the style), before anything is charged
	 * or written: a refusal is the 422 of a refused job submission, and its safety event.
	 */
	private void screen(Caller caller, ProjectView project, String kind, List<PipelineJob> jobs) {
		Set<String> screened = new HashSet<>();
		for (PipelineJob job : jobs) {
			for (String field : List.of("prompt", "text")) {
				if (job.request().get(field) instanceof String text && screened.add(text)) {
					safety.screen(project.workspaceId(), caller.userId(), kind, text,
							() -> access.require(caller, project.workspaceId(), Role.EDITOR));
				}
			}
		}
	}

	private record Build(UUID pipelineId, Timeline storyboard, List<PipelineJob> jobs, List<Step> steps,
			List<PlannedJob> planned) {
	}

	/**
	 * Turns a plan into jobs: per scene a keyframe job when its keyframe is stale, a clip animated from
	 * the (new or kept) keyframe when the clip is stale, an audio job when the audio is stale, and one
	 * render over all scenes when anything changed. Inherited artifacts (kept or memoized) go into the
	 * storyboard as they are, at no cost.
	 */
	private Build build(ProjectView project, Timeline storyboard, Plan plan) {
		UUID pipelineId = Ids.newId();
		List<PipelineJob> jobs = new ArrayList<>();
		List<Step> steps = new ArrayList<>();
		List<PlannedJob> planned = new ArrayList<>();
		List<Scene> scenes = new ArrayList<>();
		List<Map<String, Object>> renderScenes = new ArrayList<>();
		Fingerprints.StoryboardInputs inputs = fingerprints.of(storyboard);
		StoryboardSettings.FrameSize frame = storyboard.effectiveSettings().frame();
		for (int i = 0; i < plan.scenes().size(); i++) {
			ScenePlan scenePlan = plan.scenes().get(i);
			Fingerprints.SceneInputs sceneInputs = inputs.scenes().get(i);
			Scene scene = storyboard.scenes().get(i);
			ArtifactPlan keyframe = scenePlan.artifacts().get(0);
			ArtifactPlan video = scenePlan.artifacts().get(1);
			ArtifactPlan audio = scenePlan.artifacts().get(2);
			int duration = sceneInputs.durationMs();
			UUID keyframeJob = null;
			if (keyframe.stale()) {
				keyframeJob = add(jobs, steps, planned, JobType.GEN_IMAGE, "keyframes", scene.id(), "keyframe", List.of(),
						request(project, pipelineId, keyframe, sceneInputs.keyframe(),
								Map.of("prompt", scenePlan.rewrittenPrompt(), "seed", sceneInputs.seed(), "width", frame.width(),
										"height", frame.height())));
			}
			UUID videoJob = null;
			if (video.stale()) {
				Map<String, Object> fields = new LinkedHashMap<>();
				fields.put("prompt", scenePlan.rewrittenPrompt());
				fields.put("seed", sceneInputs.seed());
				fields.put("durationMs", duration);
				fields.put("width", frame.width());
				fields.put("height", frame.height());
				if (keyframeJob != null) {
					fields.put("imageFromJob", keyframeJob.toString());
				}
				else {
					fields.put("imageAssetId", String.valueOf(keyframe.assetId()));
				}
				videoJob = add(jobs, steps, planned, JobType.ANIMATE, "clips", scene.id(), "video",
						keyframeJob == null ? List.of() : List.of(keyframeJob),
						request(project, pipelineId, video, sceneInputs.video(), fields));
			}
			UUID audioJob = null;
			if (audio.stale()) {
				audioJob = add(jobs, steps, planned, JobType.GEN_AUDIO, "audio", scene.id(), "audio", List.of(),
						request(project, pipelineId, audio, sceneInputs.audio(),
								Map.of("text", "sound bed, " + Objects.requireNonNullElse(storyboard.effectiveSettings().style(),
										"natural") + ", seed " + sceneInputs.seed(), "durationMs", duration)));
			}
			scenes.add(new Scene(scene.id(), scene.prompt(), scene.durationMs(), keyframe.stale() ? null : keyframe.assetId(),
					video.stale() ? null : video.assetId(), audio.stale() ? null : audio.assetId(), scene.assetTags(),
					scene.composition()));
			Map<String, Object> renderScene = new LinkedHashMap<>();
			renderScene.put("sceneId", String.valueOf(scene.id()));
			renderScene.put(videoJob != null ? "videoFromJob" : "videoAssetId",
					String.valueOf(videoJob != null ? videoJob : video.assetId()));
			renderScene.put(audioJob != null ? "audioFromJob" : "audioAssetId",
					String.valueOf(audioJob != null ? audioJob : audio.assetId()));
			renderScenes.add(renderScene);
		}
		if (plan.render().stale()) {
			Map<String, Object> fields = new LinkedHashMap<>();
			fields.put("scenes", renderScenes);
			fields.put("width", frame.width());
			fields.put("height", frame.height());
			// Priced by this length at submission, like a render of a commit (JobService.cost).
			fields.put("durationMs", Objects.requireNonNull(plan.render().durationMs()));
			add(jobs, steps, planned, JobType.RENDER, "render", null, "render",
					jobs.stream().map(PipelineJob::jobId).toList(),
					request(project, pipelineId, plan.render(), inputs.render(), fields));
		}
		return new Build(pipelineId, storyboard.withScenes(scenes), jobs, steps, planned);
	}

	private UUID add(List<PipelineJob> jobs, List<Step> steps, List<PlannedJob> planned, JobType type, String stage,
			@Nullable UUID sceneId, String artifact, List<UUID> dependsOn, Map<String, Object> request) {
		UUID jobId = Ids.newId();
		jobs.add(new PipelineJob(jobId, type, request, dependsOn));
		steps.add(new Step(jobId, stage, sceneId, artifact));
		planned.add(new PlannedJob(type, stage, sceneId, this.jobs.cost(type, request)));
		return jobId;
	}

	private static Map<String, Object> request(ProjectView project, UUID pipelineId, ArtifactPlan artifact,
			Map<String, Object> inputs, Map<String, Object> fields) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("workspaceId", project.workspaceId().toString());
		request.put("projectId", project.id().toString());
		request.put("pipelineId", pipelineId.toString());
		request.putAll(fields);
		request.put("fingerprint", artifact.fingerprint());
		request.put("fingerprintInputs", inputs);
		return request;
	}

	PipelineView view(Pipelines.Row row) {
		List<UUID> ids = row.steps().stream().map(Step::jobId).toList();
		Map<UUID, JobView> views = new LinkedHashMap<>();
		jobs.views(ids).forEach(job -> views.put(job.id(), job));
		List<Stage> stages = new ArrayList<>();
		stages.add(new Stage("storyboard", "succeeded", List.of()));
		for (String name : List.of("keyframes", "clips", "audio", "render")) {
			List<UUID> stageJobs = row.steps().stream().filter(s -> s.stage().equals(name)).map(Step::jobId).toList();
			stages.add(new Stage(name, stageStatus(stageJobs.stream().map(views::get).toList()), stageJobs));
		}
		double progress = views.isEmpty() ? (row.status().equals("succeeded") ? 1 : 0)
				: views.values().stream().mapToDouble(j -> j.status() == JobStatus.SUCCEEDED ? 1 : j.progress()).average()
					.orElse(0);
		return new PipelineView(row.id(), row.projectId(), row.kind(), row.status(),
				row.status().equals("succeeded") ? 1 : progress, stages, new Estimate(row.estimate()), row.commitId(),
				row.versionId(), row.error());
	}

	private static String stageStatus(List<JobView> jobs) {
		if (jobs.isEmpty() || jobs.stream().allMatch(j -> j.status() == JobStatus.SUCCEEDED)) {
			return "succeeded";
		}
		if (jobs.stream().anyMatch(j -> j.status() == JobStatus.FAILED)) {
			return "failed";
		}
		if (jobs.stream().anyMatch(j -> j.status() == JobStatus.CANCELED)) {
			return "canceled";
		}
		return jobs.stream().anyMatch(j -> j.status() == JobStatus.RUNNING || j.status() == JobStatus.SUCCEEDED)
				? "running" : "queued";
	}

}
