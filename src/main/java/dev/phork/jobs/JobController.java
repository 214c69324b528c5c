package dev.phork.jobs;

import dev.phork.common.ApiAnswers;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import dev.phork.assets.AssetRecord;
import dev.phork.assets.AssetService;
import dev.phork.assets.AssetType;
import dev.phork.common.Cursor;
import dev.phork.common.Page;
import dev.phork.common.ProblemException;
import dev.phork.common.VisibleText;
import dev.phork.generation.ProviderRegistry;
import dev.phork.history.CommitService;
import dev.phork.history.CommitView;
import dev.phork.history.ProjectService;
import dev.phork.history.ProjectView;
import dev.phork.history.Scene;
import dev.phork.history.StoryboardSettings;
import dev.phork.identity.Caller;
import dev.phork.media.ImageSettings;
import dev.phork.media.ImageSize;
import dev.phork.identity.Role;
import dev.phork.identity.WorkspaceAccess;
import dev.phork.jobs.JobService.Submission;
import dev.phork.jobs.JobService.Submitted;
import dev.phork.safety.SafetyService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Job submission and reading. Each submission checks, in order: the request in itself (idempotency
 * key, provider), membership and role, the request's own references (project, commit, image, and the image's size by its header), moderation, and only
 * then idempotency, quota and credits.
 */
@Tag(name = "jobs")
@RestController
@RequestMapping("/jobs")
class JobController {

	/** The length of a clip made without one asked for. */
	private static final int DEFAULT_CLIP_MS = 4500;

	private final JobService jobs;

	private final WorkspaceAccess access;

	private final ProjectService projects;

	private final CommitService commits;

	private final AssetService assets;

	private final SafetyService safety;

	private final ProviderRegistry providers;

	private final ImageSettings images;

	private final EventStreams streams;

	JobController(JobService jobs, WorkspaceAccess access, ProjectService projects, CommitService commits,
			AssetService assets, SafetyService safety, ProviderRegistry providers, ImageSettings images,
			EventStreams streams) {
		this.providers = providers;
		this.images = images;
		this.streams = streams;
		this.jobs = jobs;
		this.access = access;
		this.projects = projects;
		this.commits = commits;
		this.assets = assets;
		this.safety = safety;
	}

	record GenVideoRequest(@NotNull UUID workspaceId, @Nullable UUID projectId, @NotBlank @VisibleText @Size(max = 4000) String prompt,
			@Min(500) @Max(60_000) @Nullable Integer durationMs, @Min(0) @Nullable Long seed,
			@Size(max = 64) @Nullable String provider, @Size(min = 1, max = 200) @Nullable String idempotencyKey) {
	}

	record GenAudioRequest(@NotNull UUID workspaceId, @Nullable UUID projectId, @NotBlank @VisibleText @Size(max = 4000) String text,
			@Min(500) @Max(600_000) @Nullable Integer durationMs, @Size(max = 64) @Nullable String provider,
			@Size(min = 1, max = 200) @Nullable String idempotencyKey) {
	}

	record GenImageRequest(@NotNull UUID workspaceId, @Nullable UUID projectId, @NotBlank @VisibleText @Size(max = 4000) String prompt,
			@Min(64) @Max(2048) @Nullable Integer width, @Min(64) @Max(2048) @Nullable Integer height,
			@Min(0) @Nullable Long seed, @Size(max = 64) @Nullable String provider,
			@Size(min = 1, max = 200) @Nullable String idempotencyKey) {
	}

	record AnimateRequest(@NotNull UUID workspaceId, @Nullable UUID projectId, @NotNull UUID imageAssetId,
			@Size(max = 4000) @Nullable String prompt, @Min(500) @Max(60_000) @Nullable Integer durationMs,
			@Min(0) @Nullable Long seed, @Size(max = 64) @Nullable String provider,
			@Size(min = 1, max = 200) @Nullable String idempotencyKey) {
	}

	record RenderRequest(@NotNull UUID workspaceId, @NotNull UUID projectId, @Size(min = 1, max = 100) @Nullable String commitId,
			@Size(min = 1, max = 200) @Nullable String idempotencyKey) {
	}

	@Operation(operationId = "submitGenVideo", summary = "Generate a video clip (paid, asynchronous, idempotent)")
	@ApiAnswers(success = { 201, 200 }, problems = { "workspace_not_found", "insufficient_role", "project_not_found", "project_not_in_workspace", "prompt_blocked", "idempotency_key_reused", "idempotency_key_conflict", "invalid_idempotency_key", "insufficient_credits", "daily_quota_exceeded", "unknown_provider", "no_provider" })
	@PostMapping("/gen-video")
	ResponseEntity<JobView> genVideo(Caller caller, @Valid @RequestBody GenVideoRequest body,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key) {
		requireWellFormed(JobType.GEN_VIDEO, body.provider(), key, body.idempotencyKey());
		prepare(caller, body.workspaceId(), body.projectId(), false);
		return generation(caller, body.workspaceId(), body.projectId(), JobType.GEN_VIDEO, body.prompt(),
				fields("prompt", body.prompt(), "durationMs", orElse(body.durationMs(), DEFAULT_CLIP_MS), "seed",
						orElse(body.seed(), 0L)),
				body.provider(), key, body.idempotencyKey());
	}

	@Operation(operationId = "submitGenAudio", summary = "Generate an audio track (paid, asynchronous, idempotent)")
	@ApiAnswers(success = { 201, 200 }, problems = { "workspace_not_found", "insufficient_role", "project_not_found", "project_not_in_workspace", "prompt_blocked", "idempotency_key_reused", "idempotency_key_conflict", "invalid_idempotency_key", "insufficient_credits", "daily_quota_exceeded", "unknown_provider", "no_provider" })
	@PostMapping("/gen-audio")
	ResponseEntity<JobView> genAudio(Caller caller, @Valid @RequestBody GenAudioRequest body,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key) {
		requireWellFormed(JobType.GEN_AUDIO, body.provider(), key, body.idempotencyKey());
		prepare(caller, body.workspaceId(), body.projectId(), false);
		return generation(caller, body.workspaceId(), body.projectId(), JobType.GEN_AUDIO, body.text(),
				fields("text", body.text(), "durationMs", orElse(body.durationMs(), 3000)), body.provider(), key,
				body.idempotencyKey());
	}

	@Operation(operationId = "submitGenImage", summary = "Generate an image (paid, asynchronous, idempotent)")
	@ApiAnswers(success = { 201, 200 }, problems = { "workspace_not_found", "insufficient_role", "project_not_found", "project_not_in_workspace", "prompt_blocked", "idempotency_key_reused", "idempotency_key_conflict", "invalid_idempotency_key", "insufficient_credits", "daily_quota_exceeded", "unknown_provider", "no_provider" })
	@PostMapping("/gen-image")
	ResponseEntity<JobView> genImage(Caller caller, @Valid @RequestBody GenImageRequest body,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key) {
		requireWellFormed(JobType.GEN_IMAGE, body.provider(), key, body.idempotencyKey());
		prepare(caller, body.workspaceId(), body.projectId(), false);
		return generation(caller, body.workspaceId(), body.projectId(), JobType.GEN_IMAGE, body.prompt(),
				fields("prompt", body.prompt(), "width", orElse(body.width(), 640), "height", orElse(body.height(), 360),
						"seed", orElse(body.seed(), 0L)),
				body.provider(), key, body.idempotencyKey());
	}

	@Operation(operationId = "submitAnimate", summary = "Animate an image into a clip (paid, asynchronous, idempotent)")
	@ApiAnswers(success = { 201, 200 }, problems = { "workspace_not_found", "insufficient_role", "project_not_found", "project_not_in_workspace", "prompt_blocked", "idempotency_key_reused", "idempotency_key_conflict", "invalid_idempotency_key", "insufficient_credits", "daily_quota_exceeded", "unknown_provider", "no_provider", "asset_not_found", "not_an_image", "image_too_large" })
	@PostMapping("/animate")
	ResponseEntity<JobView> animate(Caller caller, @Valid @RequestBody AnimateRequest body,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key) {
		requireWellFormed(JobType.ANIMATE, body.provider(), key, body.idempotencyKey());
		ProjectView project = prepare(caller, body.workspaceId(), body.projectId(), true);
		// The workspace's own image, or (for a job of a project) one the project may use, such as a
		// keyframe a fork inherited; any other is not found, whether or not it exists.
		AssetRecord image = assets.find(body.imageAssetId())
			.filter(a -> project != null ? projects.mayUse(caller, project, a) : a.workspaceId().equals(body.workspaceId()))
			.filter(assets::receiptValid)
			.orElseThrow(() -> ProblemException.notFound("asset", body.imageAssetId()));
		if (image.type() != AssetType.IMAGE && image.type() != AssetType.UPLOAD) {
			throw ProblemException.unprocessable("not_an_image", "imageAssetId must name an image or an uploaded image.");
		}
		ImageSize.read(assets.localFile(image)).ifPresent(images::requireWithin);
		String prompt = orElse(body.prompt(), "");
		return generation(caller, body.workspaceId(), body.projectId(), JobType.ANIMATE, prompt,
				fields("imageAssetId", body.imageAssetId().toString(), "prompt", prompt, "durationMs",
						orElse(body.durationMs(), DEFAULT_CLIP_MS), "seed", orElse(body.seed(), 0L)),
				body.provider(), key, body.idempotencyKey());
	}

	@Operation(operationId = "submitRender", summary = "Render a commit's clips into one video (priced by length)")
	@ApiAnswers(success = { 201, 200 }, problems = { "workspace_not_found", "insufficient_role", "project_not_found", "project_not_in_workspace", "prompt_blocked", "idempotency_key_reused", "idempotency_key_conflict", "invalid_idempotency_key", "insufficient_credits", "daily_quota_exceeded", "unknown_provider", "no_provider", "commit_not_found", "nothing_to_render", "render_too_long" })
	@PostMapping("/render")
	ResponseEntity<JobView> render(Caller caller, @Valid @RequestBody RenderRequest body,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key) {
		requireWellFormed(JobType.RENDER, null, key, body.idempotencyKey());
		ProjectView project = prepare(caller, body.workspaceId(), body.projectId(), true);
		CommitView commit = body.commitId() != null ? commits.resolve(body.projectId(), body.commitId())
				: commits.inHistory(body.projectId(), Objects.requireNonNull(project).headCommitId()).orElseThrow();
		UUID commitId = commit.id();
		List<Scene> scenes = commit.timeline().scenes().stream().filter(scene -> scene.videoAssetId() != null).toList();
		if (scenes.isEmpty()) {
			throw ProblemException.unprocessable("nothing_to_render",
					"Commit " + commitId + " has no scene with a video; generate clips and commit them first.");
		}
		Map<String, Object> request = request(body.workspaceId(), body.projectId());
		request.put("commitId", commitId.toString());
		request.put("durationMs", renderLength(scenes));
		StoryboardSettings.FrameSize frame = commit.timeline().effectiveSettings().frame();
		request.put("width", frame.width());
		request.put("height", frame.height());
		return submit(caller, body.workspaceId(), body.projectId(), JobType.RENDER, request, key, body.idempotencyKey());
	}

	/**
	 * The length of a render of these scenes, which prices it: the sum of their clips' recorded
	 * lengths (minted, so fixed once the commit names them; a scene's own {@code durationMs} does not
	 * shorten its clip in a render). A clip without a recorded length counts as its scene's length.
	 */
	private long renderLength(List<Scene> scenes) {
		Map<UUID, Long> lengths = new HashMap<>();
		for (AssetRecord clip : assets.findAll(scenes.stream().map(Scene::videoAssetId).distinct().toList())) {
			if (clip.durationMs() != null) {
				lengths.put(clip.id(), clip.durationMs());
			}
		}
		long total = 0;
		for (Scene scene : scenes) {
			Long recorded = lengths.get(scene.videoAssetId());
			total += recorded != null ? recorded : scene.durationMs() != null ? scene.durationMs() : DEFAULT_CLIP_MS;
		}
		return total;
	}

	@Operation(operationId = "listJobs", summary = "A workspace's jobs, newest first")
	@ApiAnswers(problems = { "workspace_not_found" })
	@GetMapping
	Page<JobView> list(Caller caller, @RequestParam UUID workspaceId, @RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String type, @RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable Integer limit) {
		return jobs.list(caller, workspaceId, status == null ? null : parse(status, "status", JobStatus::parse),
				type == null ? null : parse(type, "type", JobType::parse), Cursor.decode(cursor), Cursor.limit(limit));
	}

	/** The prices of jobs, so a client can show what a submission will cost before making it. */
	@Operation(operationId = "getJobPrices", summary = "This server's job prices")
	@GetMapping("/prices")
	JobService.Prices prices() {
		return jobs.prices();
	}

	@Operation(operationId = "getJob", summary = "Read a job")
	@ApiAnswers(problems = { "job_not_found" })
	@GetMapping("/{id}")
	JobView get(Caller caller, @PathVariable UUID id) {
		return jobs.get(caller, id);
	}

	@Operation(operationId = "cancelJob", summary = "Cancel a queued or running job (refunded once)")
	@ApiAnswers(problems = { "job_not_found", "insufficient_role" })
	@PostMapping("/{id}/cancel")
	JobView cancel(Caller caller, @PathVariable UUID id) {
		return jobs.cancel(caller, id);
	}

	@Operation(operationId = "streamJobEvents", summary = "A job's state as Server-Sent Events until it ends")
	@ApiAnswers(events = JobView.class, problems = { "job_not_found", "too_many_streams" })
	@GetMapping(path = "/{id}/events", produces = "text/event-stream")
	SseEmitter events(Caller caller, @PathVariable UUID id) {
		JobView job = jobs.get(caller, id);
		return streams.open(caller, job.workspaceId(), id, () -> jobs.view(id),
				current -> current.status().json() + "|" + current.progress(), current -> current.status().terminal());
	}

	/**
	 * Checks the project a job names, if any, after checking the caller's membership: before
	 * anything else, so strangers learn nothing about projects or assets. A job that reads nothing
	 * of the workspace before it is submitted ({@code readsWorkspace} false, no project) has its
	 * membership checked in its submission's batch instead, with those of the other submissions,
	 * still before its idempotency key is looked up (see {@link JobService#submit}).
	 */
	private @Nullable ProjectView prepare(Caller caller, UUID workspaceId, @Nullable UUID projectId,
			boolean readsWorkspace) {
		if (projectId == null && !readsWorkspace) {
			return null;
		}
		access.require(caller, workspaceId, Role.EDITOR);
		if (projectId == null) {
			return null;
		}
		ProjectView project = projects.readable(caller, projectId);
		if (!project.workspaceId().equals(workspaceId)) {
			throw ProblemException.unprocessable("project_not_in_workspace",
					"Project " + projectId + " belongs to another workspace; fork it into " + workspaceId + " first.");
		}
		return project;
	}

	/**
	 * What is wrong with a request in itself (its idempotency key, its provider) is a 400 before
	 * anything else is looked at, membership included (docs/api.md, Jobs).
	 */
	private void requireWellFormed(JobType type, @Nullable String provider, @Nullable String headerKey,
			@Nullable String bodyKey) {
		if (headerKey != null && bodyKey != null && !headerKey.equals(bodyKey)) {
			throw ProblemException.badRequest("idempotency_key_conflict",
					"The Idempotency-Key header and idempotencyKey in the body differ.");
		}
		String key = headerKey != null ? headerKey : bodyKey;
		if (key != null && (key.isBlank() || key.length() > 200)) {
			throw ProblemException.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1 to 200 characters.");
		}
		if (type.kind() != null) {
			providers.chain(type.kind(), provider);
		}
	}

	private ResponseEntity<JobView> submit(Caller caller, UUID workspaceId, @Nullable UUID projectId, JobType type,
			Map<String, Object> request, @Nullable String headerKey, @Nullable String bodyKey) {
		String key = headerKey != null ? headerKey : bodyKey;
		Submitted submitted = jobs.submit(caller, new Submission(workspaceId, projectId, type, request, key));
		return ResponseEntity.status(submitted.created() ? HttpStatus.CREATED : HttpStatus.OK).body(submitted.job());
	}

	private static Map<String, Object> request(UUID workspaceId, @Nullable UUID projectId) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("workspaceId", workspaceId.toString());
		if (projectId != null) {
			request.put("projectId", projectId.toString());
		}
		return request;
	}

	/**
	 * A generation job: the text is screened by moderation (a refusal is a 422 and charges nothing),
	 * then the request, with its defaults applied, is submitted.
	 */
	private ResponseEntity<JobView> generation(Caller caller, UUID workspaceId, @Nullable UUID projectId, JobType type,
			String screened, Map<String, Object> fields, @Nullable String provider, @Nullable String headerKey,
			@Nullable String bodyKey) {
		safety.screen(workspaceId, caller.userId(), type.json(), screened,
				() -> access.require(caller, workspaceId, Role.EDITOR));
		Map<String, Object> request = request(workspaceId, projectId);
		request.putAll(fields);
		if (provider != null) {
			request.put("provider", provider);
		}
		return submit(caller, workspaceId, projectId, type, request, headerKey, bodyKey);
	}

	private static Map<String, Object> fields(Object... keysAndValues) {
		Map<String, Object> fields = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return fields;
	}

	private static <T> T orElse(@Nullable T value, T fallback) {
		return value != null ? value : fallback;
	}

	private static <T> T parse(String value, String name, java.util.function.Function<String, T> parser) {
		try {
			return parser.apply(value);
		}
		catch (IllegalArgumentException ex) {
			throw ProblemException.badRequest("invalid_parameter", "Parameter '" + name + "' has an invalid value.");
		}
	}

}
