package dev.phork.storyboard;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What regenerating a commit would do: per scene and artifact, {@code inherited} (costs nothing)
 * or {@code stale} (with the reasons and the credits to regenerate it); the render beside them.
 */
public record Plan(UUID commitId, long totalCost, List<ScenePlan> scenes, ArtifactPlan render) {

	public record ScenePlan(UUID sceneId, String rewrittenPrompt, List<ArtifactPlan> artifacts) {
	}

	/**
	 * @param assetId the asset the storyboard has now, or the memoized one that will be reused
	 * @param fingerprint the fingerprint of the artifact's inputs under this commit
	 * @param durationMs for the render, the length of its output, which its cost follows; null otherwise
	 */
	public record ArtifactPlan(@Schema(allowableValues = { "keyframe", "video", "audio", "render" }) String kind,
			@Schema(allowableValues = { "inherited", "stale" }) String state, List<String> reasons, long cost,
			@Nullable UUID assetId, String fingerprint, @Nullable Long durationMs) {

		public boolean stale() {
			return state.equals("stale");
		}

	}

}
