package dev.phork.storyboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.phork.TinyImages;
import dev.phork.media.ImageSettings;
import dev.phork.media.ImageTooLarge;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pictures are drawn here, so that every property the analyzer measures is known.
 */
class LocalReferenceAnalyzerTest {

	private static final Color GREEN = new Color(40, 170, 70);

	private final LocalReferenceAnalyzer analyzer = new LocalReferenceAnalyzer(new ImageSettings(40_000_000));

	@TempDir
	Path dir;

	@Test
	void sameSubjectSurvivesJpegAndResizing() throws IOException {
		for (BufferedImage image : List.of(sky(), portrait(), blob(), busy(800, 600))) {
			Subject original = analyzer.analyze(png(image, "original"));

			Map<String, Path> variants = Map.of("jpeg", jpeg(image, "jpeg"), "half size",
					png(scaled(image, 0.5), "half"), "double size as jpeg", jpeg(scaled(image, 2), "double"),
					"thumbnail as jpeg", jpeg(scaled(image, 0.15), "thumbnail"));

			variants.forEach((variant, file) -> {
				double cosine = Embeddings.cosine(original.embedding(), analyzer.analyze(file).embedding());
				assertThat(cosine).as("%s, %s", original.description(), variant)
					.isGreaterThanOrEqualTo(Embeddings.SAME_SUBJECT);
			});
		}
	}

	@Test
	void differentPicturesAreFarApart() throws IOException {
		Map<String, Subject> subjects = Map.of("sky", analyzer.analyze(png(sky(), "sky")), "portrait",
				analyzer.analyze(png(portrait(), "portrait")), "green blob", analyzer.analyze(png(blob(), "green")),
				"red blob", analyzer.analyze(png(blob(new Color(200, 40, 40)), "red")), "busy",
				analyzer.analyze(png(busy(800, 600), "busy")));

		subjects.forEach((name, subject) -> subjects.forEach((otherName, other) -> {
			if (name.compareTo(otherName) < 0) {
				double cosine = Embeddings.cosine(subject.embedding(), other.embedding());
				assertThat(cosine).as("%s vs %s", name, otherName).isLessThanOrEqualTo(0.85);
			}
		}));
	}

	@Test
	void embeddingIsADeterministicUnitVector() throws IOException {
		Path file = png(portrait(), "portrait");

		Subject subject = analyzer.analyze(file);

		assertThat(analyzer.analyze(file)).isEqualTo(subject);
		assertThat(subject.embedding()).hasSize(63 + 64);
		assertThat(subject.embedding().stream().mapToDouble(x -> x * x).sum()).isCloseTo(1, within(1e-9));
	}

	@Test
	void transparencyIsSeenAsWhite() throws IOException {
		BufferedImage cutout = new BufferedImage(600, 600, BufferedImage.TYPE_INT_ARGB);
		Graphics2D g = cutout.createGraphics();
		smooth(g);
		g.setColor(GREEN);
		g.fillRoundRect(150, 150, 300, 300, 80, 80);
		g.dispose();

		Subject subject = analyzer.analyze(png(cutout, "cutout"));

		assertThat(subject.kind()).isEqualTo("object");
		assertThat(Embeddings.cosine(subject.embedding(), analyzer.analyze(png(blob(), "blob")).embedding()))
			.isGreaterThanOrEqualTo(Embeddings.SAME_SUBJECT);
	}

	@Test
	void descriptionSaysBrightnessDetailColoursAndOrientation() throws IOException {
		assertThat(analyzer.analyze(png(sky(), "sky")).description())
			.isEqualTo("a bright, plain, mostly blue landscape image with white accents");
		assertThat(analyzer.analyze(png(portrait(), "portrait")).description()).contains("mostly red portrait");
		assertThat(analyzer.analyze(png(blob(), "blob")).description()).startsWith("a bright, plain,")
			.contains("square")
			.contains("green");
		assertThat(analyzer.analyze(png(busy(800, 600), "busy")).description()).startsWith("a busy,")
			.contains("landscape");
		assertThat(analyzer.analyze(png(canvas(400, 300, new Color(20, 20, 30)), "night")).description())
			.isEqualTo("a dark, plain, mostly black landscape image");
	}

	@Test
	void kindFollowsTheFramingRule() throws IOException {
		assertThat(analyzer.analyze(png(sky(), "wide")).kind()).isEqualTo("location");
		assertThat(analyzer.analyze(png(portrait(), "upright")).kind()).isEqualTo("character");
		assertThat(analyzer.analyze(png(blob(), "centred")).kind()).isEqualTo("object");
		assertThat(analyzer.analyze(png(busy(800, 600), "landscape")).kind()).isEqualTo("location");
		assertThat(analyzer.analyze(png(busy(600, 600), "square")).kind()).isEqualTo("character");
	}

	@Test
	void refusesWhatIsNotAReadableImage() throws IOException {
		Path text = Files.writeString(dir.resolve("notes.png"), "not a picture", StandardCharsets.UTF_8);
		Path webp = Files.write(dir.resolve("photo.webp"),
				"RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII));

		assertThatThrownBy(() -> analyzer.analyze(text)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("notes.png");
		assertThatThrownBy(() -> analyzer.analyze(webp)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("WebP");
		assertThatThrownBy(() -> analyzer.analyze(dir.resolve("missing.png")))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> analyzer.analyze(dir)).isInstanceOf(IllegalArgumentException.class);
	}

	/** A 600-byte JPEG declaring 46000x46000 took 8 s of CPU to decode; its header alone refuses it now. */
	@Test
	void refusesByItsHeaderAPictureOverThePixelLimitBeforeDecodingIt() throws IOException {
		Path jpeg = Files.write(dir.resolve("bomb.jpg"), TinyImages.jpeg(46_000, 46_000, 0));
		Path png = Files.write(dir.resolve("bomb.png"), TinyImages.png(16_000, 16_000));

		for (Path bomb : List.of(jpeg, png)) {
			long started = System.nanoTime();
			assertThatThrownBy(() -> analyzer.analyze(bomb)).isInstanceOf(ImageTooLarge.class)
				.hasMessageContaining("40000000 pixels");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
		}
	}

	private static BufferedImage sky() {
		BufferedImage image = canvas(960, 540, new Color(120, 180, 250));
		Graphics2D g = image.createGraphics();
		smooth(g);
		g.setColor(Color.WHITE);
		g.fillOval(640, 60, 180, 180);
		g.dispose();
		return image;
	}

	private static BufferedImage portrait() {
		BufferedImage image = canvas(480, 720, new Color(200, 40, 40));
		Graphics2D g = image.createGraphics();
		smooth(g);
		g.setColor(new Color(240, 200, 160));
		g.fillOval(120, 180, 240, 300);
		g.setColor(new Color(40, 30, 30));
		g.fillOval(180, 280, 30, 30);
		g.fillOval(270, 280, 30, 30);
		g.fillRect(200, 390, 80, 12);
		g.dispose();
		return image;
	}

	private static BufferedImage blob() {
		return blob(GREEN);
	}

	private static BufferedImage blob(Color colour) {
		BufferedImage image = canvas(600, 600, Color.WHITE);
		Graphics2D g = image.createGraphics();
		smooth(g);
		g.setColor(colour);
		g.fillRoundRect(150, 150, 300, 300, 80, 80);
		g.dispose();
		return image;
	}

	/** Many small, many-coloured rectangles: a picture full of detail. */
	private static BufferedImage busy(int width, int height) {
		BufferedImage image = canvas(width, height, Color.GRAY);
		Graphics2D g = image.createGraphics();
		Random random = new Random(7);
		for (int i = 0; i < width * height / 320; i++) {
			g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
			g.fillRect(random.nextInt(width), random.nextInt(height), 10 + random.nextInt(30), 10 + random.nextInt(30));
		}
		g.dispose();
		return image;
	}

	private static BufferedImage canvas(int width, int height, Color background) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(background);
		g.fillRect(0, 0, width, height);
		g.dispose();
		return image;
	}

	private static void smooth(Graphics2D g) {
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
	}

	private static BufferedImage scaled(BufferedImage image, double factor) {
		int width = (int) Math.round(image.getWidth() * factor);
		int height = (int) Math.round(image.getHeight() * factor);
		BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = scaled.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		g.drawImage(image, 0, 0, width, height, null);
		g.dispose();
		return scaled;
	}

	private Path png(BufferedImage image, String name) throws IOException {
		Path file = dir.resolve(name + ".png");
		ImageIO.write(image, "png", file.toFile());
		return file;
	}

	private Path jpeg(BufferedImage image, String name) throws IOException {
		Path file = dir.resolve(name + ".jpg");
		assertThat(ImageIO.write(image, "jpeg", file.toFile())).isTrue();
		return file;
	}

}
