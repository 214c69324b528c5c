package dev.phork.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phork.TinyImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sizes read from headers alone, and the pixel limit over them. */
class ImageSizeTest {

	@TempDir
	Path dir;

	@Test
	void readsTheSizeThatPngJpegAndWebpHeadersDeclare() throws IOException {
		assertThat(ImageSize.read(write("bomb.jpg", TinyImages.jpeg(46_000, 46_000, 0)))).contains(new ImageSize(46_000, 46_000));
		assertThat(ImageSize.read(write("bomb.png", TinyImages.png(16_000, 12_000)))).contains(new ImageSize(16_000, 12_000));
		assertThat(ImageSize.read(write("bomb.webp", TinyImages.webp(16_000_000, 3)))).contains(new ImageSize(16_000_000, 3));
		BufferedImage real = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
		for (String format : new String[] { "png", "jpeg" }) {
			Path file = dir.resolve("real." + format);
			ImageIO.write(real, format, file.toFile());
			assertThat(ImageSize.read(file)).as(format).contains(new ImageSize(300, 200));
		}
	}

	@Test
	void givesNoSizeForOtherFormatsAndHeadersCutShort() throws IOException {
		byte[] jpeg = TinyImages.jpeg(640, 480, 0);
		assertThat(ImageSize.read(write("cut.jpg", Arrays.copyOf(jpeg, 40)))).isEmpty();
		assertThat(ImageSize.read(write("cut.png", Arrays.copyOf(TinyImages.png(640, 480), 20)))).isEmpty();
		assertThat(ImageSize.read(write("cut.webp", Arrays.copyOf(TinyImages.webp(640, 480), 20)))).isEmpty();
		assertThat(ImageSize.read(write("notes.txt", "just text".getBytes(StandardCharsets.UTF_8)))).isEmpty();
		BufferedImage gif = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
		ImageIO.write(gif, "gif", dir.resolve("x.gif").toFile());
		assertThat(ImageSize.read(dir.resolve("x.gif"))).isEmpty();
	}

	@Test
	void theLimitRefusesMorePixelsThanItAllows() {
		ImageSettings limit = new ImageSettings(40_000_000);
		limit.requireWithin(new ImageSize(8_000, 5_000));
		assertThatThrownBy(() -> limit.requireWithin(new ImageSize(46_000, 46_000))).isInstanceOf(ImageTooLarge.class)
			.hasMessageContaining("46000x46000")
			.hasMessageContaining("40000000")
			.hasMessageContaining("PHORK_MAX_IMAGE_PIXELS")
			.satisfies(ex -> assertThat(((ImageTooLarge) ex).code()).isEqualTo("image_too_large"));
		assertThat(new ImageSettings(5_000_000_000L).ffmpegMaxPixels()).isEqualTo(Integer.toString(Integer.MAX_VALUE));
		assertThatThrownBy(() -> new ImageSettings(0)).isInstanceOf(IllegalArgumentException.class);
	}

	private Path write(String name, byte[] bytes) throws IOException {
		return Files.write(dir.resolve(name), bytes);
	}

}
