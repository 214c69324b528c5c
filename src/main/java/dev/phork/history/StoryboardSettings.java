package dev.phork.history;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a storyboard that change what gets generated: a change here makes every artifact
 * that depends on it stale.
 *
 * @param continuity when true, each scene's clip also depends on the previous scene's clip
 */
public record StoryboardSettings(@Size(max = 500) @Nullable String style, @Size(max = 20) @Nullable String aspect,
		@Size(max = 64) @Nullable String imageModel, @Size(max = 64) @Nullable String videoModel,
		@Min(0) @Nullable Long seed, @Nullable Boolean continuity) {

	public static final StoryboardSettings DEFAULTS = new StoryboardSettings(null, "16:9", null, null, 0L, false);

	/** These settings with every unset field taken from {@code base}. */
	public StoryboardSettings over(StoryboardSettings base) {
		return new StoryboardSettings(style != null ? style : base.style(), aspect != null ? aspect : base.aspect(),
				imageModel != null ? imageModel : base.imageModel(), videoModel != null ? videoModel : base.videoModel(),
				seed != null ? seed : base.seed(), continuity != null ? continuity : base.continuity());
	}

}
