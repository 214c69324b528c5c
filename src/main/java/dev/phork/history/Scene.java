package dev.phork.history;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One scene of a timeline. A new scene has no id and gets one from the server; a scene carried over
 * from the parent commit keeps the id the server gave it. {@code assetTags} name the registry
 * entries the scene uses.
 */
public record Scene(@Nullable UUID id, @Size(max = 4000) @Nullable String prompt,
		@Min(1) @Max(600_000) @Nullable Integer durationMs, @Nullable UUID keyframeAssetId, @Nullable UUID videoAssetId,
		@Nullable UUID audioAssetId, @Size(max = 50) @Nullable List<String> assetTags,
		@Valid @Nullable SceneComposition composition) {

	public Scene withId(UUID newId) {
		return new Scene(newId, prompt, durationMs, keyframeAssetId, videoAssetId, audioAssetId, assetTags, composition);
	}

	public List<String> tags() {
		return assetTags == null ? List.of() : assetTags;
	}

}
