package dev.phork.storyboard;

import dev.phork.assets.AssetRecord;
import dev.phork.assets.AssetService;
import dev.phork.history.CommitView;
import dev.phork.history.ProjectService;
import dev.phork.history.ProjectView;
import dev.phork.history.Scene;
import dev.phork.identity.Caller;
import dev.phork.jobs.JobService;
import dev.phork.jobs.JobType;
import dev.phork.storyboard.Fingerprints.SceneInputs;
import dev.phork.storyboard.Fingerprints.StoryboardInputs;
import dev.phork.storyboard.Plan.ArtifactPlan;
import dev.phork.storyboard.Plan.ScenePlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Decides, per artifact, whether a commit can keep what it has. An artifact is inherited when the
 * fingerprint recorded on its asset equals its fingerprint under the commit, or when an asset with
 * that fingerprint already exists that the caller may use in the project (memoization: reused at
 * no cost; see {@link ProjectService#mayUse}); otherwise it is stale, with the reasons read off the
 * difference of the inputs. Assets a user attached by hand carry no fingerprint and are kept as
 * pinned. A plan is answered to whoever may read the project, so memoization never offers a caller
 * an asset of the workspace's other projects unless the caller is a member.
 */
@Component
class Planner {

	private final Fingerprints fingerprints;

	private final AssetService assets;

	private final ProjectService projects;

	private final JobService jobs;

	private final JdbcClient jdbc;

	Planner(Fingerprints fingerprints, AssetService assets, ProjectService projects, JobService jobs, JdbcClient jdbc) {
		this.fingerprints = fingerprints;
		this.assets = assets;
		this.projects = projects;
		this.jobs = jobs;
		this.jdbc = jdbc;
	}

	Plan plan(Caller caller, ProjectView project, CommitView commit) {
		StoryboardInputs inputs = fingerprints.of(commit.timeline());
		Map<UUID, AssetRecord> current = currentAssets(commit);
		Memo memo = new Memo(caller, project, inputs);
		List<ScenePlan> scenes = new ArrayList<>();
		long total = 0;
		long renderMs = 0;
		for (int i = 0; i < inputs.scenes().size(); i++) {
			SceneInputs scene = inputs.scenes().get(i);
			Scene stored = commit.timeline().scenes().get(i);
			List<ArtifactPlan> artifacts = List.of(
					artifact("keyframe", JobType.GEN_IMAGE, stored.keyframeAssetId(), scene.keyframe(),
							scene.keyframeFingerprint(), current, memo),
					artifact("video", JobType.ANIMATE, stored.videoAssetId(), scene.video(), scene.videoFingerprint(), current,
							memo),
					artifact("audio", JobType.GEN_AUDIO, stored.audioAssetId(), scene.audio(), scene.audioFingerprint(), current,
							memo));
			total += artifacts.stream().mapToLong(ArtifactPlan::cost).sum();
			renderMs += clipMs(artifacts.get(1), scene, current, memo);
			scenes.add(new ScenePlan(scene.sceneId(), scene.rewrittenPrompt(), artifacts));
		}
		boolean anythingStale = scenes.stream().flatMap(s -> s.artifacts().stream()).anyMatch(ArtifactPlan::stale);
		ArtifactPlan render = render(inputs, memo, anythingStale, commit.timeline().scenes().isEmpty(), renderMs);
		total += render.cost();
		return new Plan(commit.id(), total, scenes, render);
	}

	/**
	 * How long a scene's clip will be in the render: a kept or reused clip's recorded length, or the
	 * length a new one is made with (also for a clip that records none).
	 */
	private static long clipMs(ArtifactPlan video, SceneInputs scene, Map<UUID, AssetRecord> current, Memo memo) {
		UUID assetId = video.assetId();
		if (video.stale() || assetId == null) {
			return scene.durationMs();
		}
		AssetRecord asset = current.containsKey(assetId) ? current.get(assetId) : memo.record(assetId);
		Long recorded = asset == null ? null : asset.durationMs();
		return recorded != null ? recorded : scene.durationMs();
	}

	private ArtifactPlan artifact(String kind, JobType type, @Nullable UUID assetId, Map<String, Object> inputs,
			String fingerprint, Map<UUID, AssetRecord> current, Memo memo) {
		AssetRecord asset = assetId == null ? null : current.get(assetId);
		if (asset != null) {
			Object recorded = asset.provenance().get("fingerprint");
			if (recorded == null) {
				return new ArtifactPlan(kind, "inherited", List.of("pinned: attached by hand"), 0, assetId, fingerprint,
						null);
			}
			if (recorded.equals(fingerprint)) {
				return new ArtifactPlan(kind, "inherited", List.of(), 0, assetId, fingerprint, null);
			}
		}
		Optional<UUID> memoized = memo.find(fingerprint);
		if (memoized.isPresent()) {
			return new ArtifactPlan(kind, "inherited", List.of("memoized: generated before with the same inputs"), 0,
					memoized.get(), fingerprint, null);
		}
		List<String> reasons = asset == null ? List.of("not generated yet")
				: Fingerprints.reasons(recordedInputs(asset), inputs);
		return new ArtifactPlan(kind, "stale", reasons, jobs.price(type), assetId, fingerprint, null);
	}

	/** The render over every scene; priced by its length, as a render job is when submitted. */
	private ArtifactPlan render(StoryboardInputs inputs, Memo memo, boolean anythingStale, boolean empty,
			long durationMs) {
		String fingerprint = inputs.renderFingerprint();
		if (empty) {
			return new ArtifactPlan("render", "inherited", List.of("nothing to render"), 0, null, fingerprint, 0L);
		}
		Optional<UUID> rendered = anythingStale ? Optional.empty() : memo.find(fingerprint);
		if (rendered.isPresent()) {
			return new ArtifactPlan("render", "inherited", List.of(), 0, rendered.get(), fingerprint, durationMs);
		}
		return new ArtifactPlan("render", "stale", List.of(anythingStale ? "scenes changed" : "not rendered yet"),
				jobs.renderPrice(durationMs), null, fingerprint, durationMs);
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, Object> recordedInputs(AssetRecord asset) {
		return asset.provenance().get("fingerprintInputs") instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
	}

	private Map<UUID, AssetRecord> currentAssets(CommitView commit) {
		Set<UUID> ids = new HashSet<>();
		for (Scene scene : commit.timeline().scenes()) {
			for (UUID id : new UUID[] { scene.keyframeAssetId(), scene.videoAssetId(), scene.audioAssetId() }) {
				if (id != null) {
					ids.add(id);
				}
			}
		}
		return assets.findAll(List.copyOf(ids)).stream().collect(Collectors.toMap(AssetRecord::id, Function.identity()));
	}

	/**
	 * Assets made earlier with given fingerprints that the caller may use in this project, looked up
	 * for the whole storyboard at once.
	 */
	private final class Memo {

		private final Map<String, List<UUID>> candidates;

		private final Map<UUID, AssetRecord> usable;

		Memo(Caller caller, ProjectView project, StoryboardInputs inputs) {
			List<String> all = new ArrayList<>();
			for (SceneInputs scene : inputs.scenes()) {
				all.addAll(List.of(scene.keyframeFingerprint(), scene.videoFingerprint(), scene.audioFingerprint()));
			}
			all.add(inputs.renderFingerprint());
			List<Map.Entry<String, UUID>> rows = jdbc.sql("""
					SELECT fingerprint, asset_id FROM asset_fingerprints WHERE fingerprint = ANY(:fingerprints)
					ORDER BY asset_id""")
				.param("fingerprints", all.toArray(String[]::new))
				.query((rs, n) -> Map.entry(rs.getString("fingerprint"), rs.getObject("asset_id", UUID.class)))
				.list();
			List<AssetRecord> minted = assets.findAll(rows.stream().map(Map.Entry::getValue).distinct().toList())
				.stream()
				.filter(assets::receiptValid)
				.toList();
			Set<UUID> mayUse = projects.usableAssets(caller, project, minted);
			this.usable = minted.stream()
				.filter(a -> mayUse.contains(a.id()))
				.collect(Collectors.toMap(AssetRecord::id, Function.identity()));
			this.candidates = rows.stream()
				.filter(row -> usable.containsKey(row.getValue()))
				.collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
		}

		Optional<UUID> find(String fingerprint) {
			return candidates.getOrDefault(fingerprint, List.of()).stream().findFirst();
		}

		/** An asset {@link #find} answered. */
		@Nullable AssetRecord record(UUID assetId) {
			return usable.get(assetId);
		}

	}

}
