package dev.phork.history;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a storyboard that change what gets generated: a change here makes every artifact
 * that depends on it stale.
 *
 * @param continuity when true, each scene's clip also depends on the previous scene's clip
 */
public record StoryboardSettings(@Size(max = 500) @Nullable String style, @Pattern(regexp = "16:9|9:16|1:1|4:3", message = "must be one of 16:9, 9:16, 1:1, 4:3") @Nullable String aspect,
		@Size(max = 64) @Nullable String imageModel, @Size(max = 64) @Nullable String videoModel,
		@Min(0) @Nullable Long seed, @Nullable Boolean continuity) {

	public static final StoryboardSettings DEFAULTS = new StoryboardSettings(null, "16:9", null, null, 0L, false);

	/**
	 * The frame this storyboard's keyframes, clips and render are made at: its aspect at 360 pixels
	 * on the short side (480 for 1:1 and 4:3, so no frame is smaller than the 640x360 default).
	 */
	public FrameSize frame() {
		return switch (aspect == null ? "16:9" : aspect) {
			case "9:16" -> new FrameSize(360, 640);
			case "1:1" -> new FrameSize(480, 480);
			case "4:3" -> new FrameSize(480, 360);
			default -> new FrameSize(640, 360);
		};
	}

	public record FrameSize(int width, int height) {
	}

	/** These settings with every unset field taken from {@code base}. */
	public StoryboardSettings over(StoryboardSettings base) {
		return new StoryboardSettings(style != null ? style : base.style(), aspect != null ? aspect : base.aspect(),
				imageModel != null ? imageModel : base.imageModel(), videoModel != null ? videoModel : base.videoModel(),
				seed != null ? seed : base.seed(), continuity != null ? continuity : base.continuity());
	}

}
