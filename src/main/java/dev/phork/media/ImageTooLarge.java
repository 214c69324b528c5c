package dev.phork.media;

import dev.phork.common.ProblemException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** A picture whose header declares more pixels than {@link ImageSettings#maxPixels()}: 422 {@code image_too_large}. */
public class ImageTooLarge extends ProblemException {

	public ImageTooLarge(ImageSize size, long maxPixels) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, "image_too_large",
				"The image is " + size + " (" + size.pixels() + " pixels); this server decodes images of at most "
						+ maxPixels + " pixels (PHORK_MAX_IMAGE_PIXELS).",
				Map.of("width", size.width(), "height", size.height(), "maxPixels", maxPixels));
	}

}
