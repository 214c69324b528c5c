package dev.phork.history;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One scene of a timeline. A new scene has no id and gets one from the server; a scene carried over
 * from the parent commit keeps the id the server gave it.
 */
public record Scene(@Nullable UUID id, @Size(max = 4000) @Nullable String prompt,
		@Min(1) @Max(600_000) @Nullable Integer durationMs, @Nullable UUID keyframeAssetId, @Nullable UUID videoAssetId,
		@Nullable UUID audioAssetId) {

	Scene withId(UUID newId) {
		return new Scene(newId, prompt, durationMs, keyframeAssetId, videoAssetId, audioAssetId);
	}

}
