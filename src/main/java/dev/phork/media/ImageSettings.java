package dev.phork.media;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The largest picture this server decodes, in pixels ({@code PHORK_MAX_IMAGE_PIXELS}). Decoding
 * costs time and memory in proportion to the pixels a header declares, whatever the file's size,
 * so every picture from a user is measured by its header first and refused above this.
 *
 * @param maxPixels width times height; 40 million by default (a 7000x5700 photo fits)
 */
@ConfigurationProperties("phork.images")
public record ImageSettings(long maxPixels) {

	public ImageSettings {
		if (maxPixels < 1) {
			throw new IllegalArgumentException("phork.images.max-pixels (PHORK_MAX_IMAGE_PIXELS) must be at least 1");
		}
	}

	/**
	 * @throws ImageTooLarge when the picture has more pixels than the limit
	 */
	public void requireWithin(ImageSize size) {
		if (size.pixels() > maxPixels) {
			throw new ImageTooLarge(size, maxPixels);
		}
	}

	/** The limit as FFmpeg's {@code -max_pixels} option takes it (at most 2^31 - 1). */
	public String ffmpegMaxPixels() {
		return Long.toString(Math.min(maxPixels, Integer.MAX_VALUE));
	}

}
