package dev.phork.jobs;

import dev.phork.assets.AssetRecord;
import dev.phork.assets.AssetService;
import dev.phork.assets.AssetType;
import dev.phork.generation.GenerationContext;
import dev.phork.generation.GenerationInput;
import dev.phork.generation.GenerationKind;
import dev.phork.generation.GenerationOutput;
import dev.phork.generation.ProviderException;
import dev.phork.generation.ProviderRegistry;
import dev.phork.history.CommitService;
import dev.phork.history.CommitView;
import dev.phork.jobs.Jobs.JobRow;
import dev.phork.media.MediaFormat;
import dev.phork.media.Renderer;
import dev.phork.media.Renderer.RenderOutput;
import dev.phork.media.Renderer.RenderScene;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Does the work of one attempt of a job and describes the asset it made. */
@Component
class JobExecutor {

	private final ProviderRegistry providers;

	private final AssetService assets;

	private final CommitService commits;

	private final Renderer renderer;

	private final Jobs jobs;

	private final JobSettings settings;

	JobExecutor(ProviderRegistry providers, AssetService assets, CommitService commits, Renderer renderer, Jobs jobs,
			JobSettings settings) {
		this.jobs = jobs;
		this.settings = settings;
		this.providers = providers;
		this.assets = assets;
		this.commits = commits;
		this.renderer = renderer;
	}

	/** What an attempt made: a file and how to mint it; {@code commitId} is set for renders. */
	record Outcome(Path file, AssetType type, String mimeType, @Nullable Long durationMs, String provider, String model,
			Map<String, Object> provenance, @Nullable UUID commitId) {
	}

	Outcome execute(JobRow job, GenerationContext context) {
		JobView view = job.view();
		Outcome outcome = view.type() != JobType.RENDER ? generate(view, context)
				: view.request().get("scenes") != null ? renderPipeline(view, context) : render(view, context);
		// A pipeline's job carries the fingerprint of its inputs; the asset keeps it as provenance.
		if (view.request().get("fingerprint") != null) {
			outcome.provenance().put("fingerprint", view.request().get("fingerprint"));
			outcome.provenance().put("fingerprintInputs", view.request().get("fingerprintInputs"));
		}
		return outcome;
	}

	private Outcome generate(JobView job, GenerationContext context) {
		Map<String, Object> request = job.request();
		GenerationKind kind = java.util.Objects.requireNonNull(job.type().kind());
		String prompt = text(request, kind == GenerationKind.AUDIO ? "text" : "prompt");
		long seed = number(request, "seed", 0);
		int width = (int) number(request, "width", MediaFormat.WIDTH);
		int height = (int) number(request, "height", MediaFormat.HEIGHT);
		long durationMs = number(request, "durationMs", 0);
		Path source = null;
		List<String> sourceAssets = new ArrayList<>();
		if (kind == GenerationKind.ANIMATE) {
			UUID imageId = request.get("imageFromJob") != null ? fromJob(request, "imageFromJob")
					: UUID.fromString(text(request, "imageAssetId"));
			AssetRecord image = assets.find(imageId)
				.filter(assets::receiptValid)
				.orElseThrow(() -> new ProviderException("image asset " + imageId + " is missing or not minted", false));
			source = assets.localFile(image);
			sourceAssets.add(imageId.toString());
		}
		GenerationInput input = new GenerationInput(kind, prompt, seed, width, height, durationMs, source);
		String requested = request.get("provider") instanceof String name ? name : null;
		GenerationOutput output = providers.generate(providers.chain(kind, requested), input, context);
		Map<String, Object> provenance = new LinkedHashMap<>();
		provenance.put("kind", job.type().json());
		provenance.put("provider", output.provider());
		provenance.put("model", output.model());
		provenance.put(kind == GenerationKind.AUDIO ? "text" : "prompt", prompt);
		provenance.put("seed", seed);
		if (kind != GenerationKind.IMAGE) {
			provenance.put("durationMs", output.durationMs());
		}
		else {
			provenance.put("width", width);
			provenance.put("height", height);
		}
		provenance.put("sourceAssets", sourceAssets);
		provenance.put("jobId", job.id().toString());
		AssetType type = switch (kind) {
			case IMAGE -> AssetType.IMAGE;
			case AUDIO -> AssetType.AUDIO;
			case VIDEO, ANIMATE -> AssetType.VIDEO;
		};
		return new Outcome(output.file(), type, output.mimeType(), output.durationMs(), output.provider(), output.model(),
				provenance, null);
	}

	/** Renders a commit of the project: its scenes that have a video, in play order. */
	private Outcome render(JobView job, GenerationContext context) {
		UUID projectId = java.util.Objects.requireNonNull(job.projectId());
		UUID commitId = UUID.fromString(text(job.request(), "commitId"));
		CommitView commit = commits.inHistory(projectId, commitId)
			.orElseThrow(() -> new ProviderException("commit " + commitId + " is not in project " + projectId, false));
		List<SceneRef> scenes = commit.timeline().scenes().stream()
			.filter(scene -> scene.videoAssetId() != null)
			.map(scene -> new SceneRef(String.valueOf(scene.id()), scene.videoAssetId(), scene.audioAssetId()))
			.toList();
		if (scenes.isEmpty()) {
			throw new ProviderException("commit " + commitId + " has no scene with a video to render", false);
		}
		return renderScenes(job, scenes, Map.of("commitId", commitId.toString()), commitId, context);
	}

	/**
	 * Renders a pipeline's scenes, given as asset ids or as the jobs that make them; no commit
	 * exists yet (the pipeline commits once this render succeeds).
	 */
	@SuppressWarnings("unchecked")
	private Outcome renderPipeline(JobView job, GenerationContext context) {
		List<SceneRef> scenes = new ArrayList<>();
		for (Object item : (List<Object>) java.util.Objects.requireNonNull(job.request().get("scenes"))) {
			Map<String, Object> scene = (Map<String, Object>) item;
			UUID videoId = scene.get("videoFromJob") != null ? fromJob(scene, "videoFromJob")
					: UUID.fromString(text(scene, "videoAssetId"));
			UUID audioId = scene.get("audioFromJob") != null ? fromJob(scene, "audioFromJob")
					: scene.get("audioAssetId") != null ? UUID.fromString(text(scene, "audioAssetId")) : null;
			scenes.add(new SceneRef(String.valueOf(scene.get("sceneId")), videoId, audioId));
		}
		return renderScenes(job, scenes, Map.of("pipelineId", String.valueOf(job.request().get("pipelineId"))), null,
				context);
	}

	private record SceneRef(String sceneId, UUID videoAssetId, @Nullable UUID audioAssetId) {
	}

	/** Joins the scenes' minted clips, each with its audio, into one render and describes it. */
	private Outcome renderScenes(JobView job, List<SceneRef> refs, Map<String, Object> origin, @Nullable UUID commitId,
			GenerationContext context) {
		List<RenderScene> scenes = new ArrayList<>();
		List<Map<String, Object>> used = new ArrayList<>();
		for (SceneRef ref : refs) {
			AssetRecord video = minted(ref.videoAssetId());
			AssetRecord audio = ref.audioAssetId() == null ? null : minted(ref.audioAssetId());
			scenes.add(new RenderScene(assets.localFile(video), audio == null ? null : assets.localFile(audio)));
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("sceneId", ref.sceneId());
			entry.put("videoAssetId", video.id().toString());
			entry.put("audioAssetId", audio == null ? null : audio.id().toString());
			used.add(entry);
		}
		// The frame of the storyboard's aspect; renders submitted before it was recorded are 640x360.
		RenderOutput rendered = renderer.render(scenes, context.workDir().resolve("render.mp4"), context::progress,
				settings.renderTimeout(), (int) number(job.request(), "width", MediaFormat.WIDTH),
				(int) number(job.request(), "height", MediaFormat.HEIGHT));
		Map<String, Object> provenance = new LinkedHashMap<>();
		provenance.put("kind", "render");
		provenance.put("projectId", String.valueOf(job.projectId()));
		provenance.putAll(origin);
		provenance.put("scenes", used);
		provenance.put("streamCopied", rendered.streamCopied());
		provenance.put("jobId", job.id().toString());
		return new Outcome(rendered.file(), AssetType.RENDER, "video/mp4", rendered.durationMs(), "phork-render",
				"ffmpeg-concat", provenance, commitId);
	}

	/** The asset made by the job named in {@code field}, which must have succeeded. */
	private UUID fromJob(Map<String, Object> request, String field) {
		UUID upstream = UUID.fromString(text(request, field));
		return jobs.resultOf(upstream)
			.orElseThrow(() -> new ProviderException("job " + upstream + " has no result to build on", false));
	}

	private AssetRecord minted(UUID assetId) {
		return assets.find(assetId)
			.filter(assets::receiptValid)
			.orElseThrow(() -> new ProviderException("asset " + assetId + " is missing or its mint receipt is invalid", false));
	}

	private static String text(Map<String, Object> request, String field) {
		Object value = request.get(field);
		if (value == null) {
			throw new ProviderException("the job request has no " + field
					+ (Boolean.TRUE.equals(request.get("erased")) ? " (erased at the user's request)" : ""), false);
		}
		return value.toString();
	}

	private static long number(Map<String, Object> request, String field, long fallback) {
		return request.get(field) instanceof Number n ? n.longValue() : fallback;
	}

}
