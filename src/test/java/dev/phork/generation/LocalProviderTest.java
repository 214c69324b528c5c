package dev.phork.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.phork.TinyImages;
import dev.phork.media.Ffmpeg;
import dev.phork.media.ImageSettings;
import dev.phork.media.MediaFormat;
import dev.phork.media.MediaInfo;
import dev.phork.media.MediaSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LocalProviderTest {

	private static final String PROMPT = "a lighthouse at dusk, waves rolling in";

	private final Ffmpeg ffmpeg = new Ffmpeg(new MediaSettings(null, null));

	private final LocalProvider provider = new LocalProvider(ffmpeg, new ImageSettings(40_000_000));

	@TempDir
	Path dir;

	@Test
	void imageIsAPngOfTheRequestedSize() throws IOException {
		Attempt attempt = attempt();

		GenerationOutput output = provider.generate(input(GenerationKind.IMAGE, 7, null), attempt);

		MediaInfo info = ffmpeg.probe(output.file());
		assertThat(info.videoCodec()).isEqualTo("png");
		assertThat(info.width()).isEqualTo(320);
		assertThat(info.height()).isEqualTo(200);
		assertThat(output.mimeType()).isEqualTo("image/png");
		assertThat(output.durationMs()).isNull();
		assertThat(output.provider()).isEqualTo("local");
		assertThat(output.model()).isEqualTo("local-image-v1");
		assertThat(output.file().getParent()).isEqualTo(attempt.workDir());
		assertThat(attempt.progress()).startsWith(0.0).endsWith(1.0);
	}

	@Test
	void imageSizeIsClamped() throws IOException {
		GenerationInput input = new GenerationInput(GenerationKind.IMAGE, PROMPT, 7, 10, 5000, 0, null);

		MediaInfo info = ffmpeg.probe(provider.generate(input, attempt()).file());

		assertThat(info.width()).isEqualTo(64);
		assertThat(info.height()).isEqualTo(2048);
	}

	@Test
	void videoIsAClipInTheMediaFormat() throws IOException {
		GenerationOutput output = provider.generate(input(GenerationKind.VIDEO, 7, null), attempt());

		MediaInfo info = ffmpeg.probe(output.file());
		assertThat(info.videoMatchesFormat()).isTrue();
		assertClipAudio(info);
		assertThat(info.durationMs()).isCloseTo(4_500, within(40L));
		assertThat(output.durationMs()).isEqualTo(info.durationMs());
		assertThat(output.mimeType()).isEqualTo("video/mp4");
		assertThat(output.model()).isEqualTo("local-video-v1");
	}

	@Test
	void animationMovesOverTheSourceImage() throws IOException {
		Path image = provider.generate(input(GenerationKind.IMAGE, 7, null), attempt()).file();

		GenerationOutput output = provider.generate(input(GenerationKind.ANIMATE, 7, image), attempt());

		MediaInfo info = ffmpeg.probe(output.file());
		// An animation is made at the frame it is asked for (a storyboard's aspect), here 320x200.
		assertThat(info.videoMatchesFormat(320, 200)).isTrue();
		assertClipAudio(info);
		assertThat(info.durationMs()).isCloseTo(4_500, within(40L));
		assertThat(output.mimeType()).isEqualTo("video/mp4");
		assertThat(output.model()).isEqualTo("local-animate-v1");
		assertThat(frame(output.file(), "0")).isNotEqualTo(frame(output.file(), "4.4"));
	}

	@Test
	void audioIsAacOfTheRequestedDuration() throws IOException {
		GenerationInput input = new GenerationInput(GenerationKind.AUDIO, PROMPT, 7, 0, 0, 3_000, null);

		GenerationOutput output = provider.generate(input, attempt());

		MediaInfo info = ffmpeg.probe(output.file());
		assertThat(info.hasVideo()).isFalse();
		assertClipAudio(info);
		assertThat(info.durationMs()).isCloseTo(3_000, within(25L));
		assertThat(output.durationMs()).isEqualTo(info.durationMs());
		assertThat(output.file().getFileName().toString()).endsWith(".m4a");
		assertThat(output.mimeType()).isEqualTo("audio/mp4");
		assertThat(output.model()).isEqualTo("local-audio-v1");
	}

	@ParameterizedTest
	@EnumSource(GenerationKind.class)
	void samePromptAndSeedGiveIdenticalBytesAndAnotherSeedDoesNot(GenerationKind kind) throws IOException {
		Path image = kind == GenerationKind.ANIMATE
				? provider.generate(input(GenerationKind.IMAGE, 1, null), attempt()).file() : null;

		String first = sha256(provider.generate(input(kind, 7, image), attempt()).file());
		String again = sha256(provider.generate(input(kind, 7, image), attempt()).file());
		String otherSeed = sha256(provider.generate(input(kind, 8, image), attempt()).file());

		assertThat(again).isEqualTo(first);
		assertThat(otherSeed).isNotEqualTo(first);
	}

	@Test
	void animationWithoutAReadableImageFailsPermanently() throws IOException {
		Path garbage = Files.writeString(dir.resolve("garbage.png"), "not an image");

		for (Path source : new Path[] { null, dir.resolve("missing.png"), garbage }) {
			assertThatThrownBy(() -> provider.generate(input(GenerationKind.ANIMATE, 7, source), attempt()))
				.isInstanceOf(ProviderException.class)
				.satisfies(ex -> assertThat(((ProviderException) ex).isTransient()).isFalse());
		}
	}

	/**
	 * A 16000x16000 PNG of a few hundred bytes: ffprobe alone took 800 MB and FFmpeg 4 s on it. Its
	 * header is read first and it never reaches either.
	 */
	@Test
	void animatingAPictureOverThePixelLimitFailsPermanentlyBeforeFfmpegReadsIt() throws IOException {
		Path bomb = Files.write(dir.resolve("bomb.png"), TinyImages.png(16_000, 16_000));
		Path jpeg = Files.write(dir.resolve("bomb.jpg"), TinyImages.jpeg(46_000, 46_000, 0));

		for (Path source : new Path[] { bomb, jpeg }) {
			long started = System.nanoTime();
			assertThatThrownBy(() -> provider.generate(input(GenerationKind.ANIMATE, 7, source), attempt()))
				.isInstanceOf(ProviderException.class)
				.hasMessageContaining("PHORK_MAX_IMAGE_PIXELS")
				.satisfies(ex -> assertThat(((ProviderException) ex).isTransient()).isFalse());
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
		}
	}

	@Test
	void missingFfmpegIsAPermanentProviderFailure() throws IOException {
		LocalProvider withoutFfmpeg = new LocalProvider(
				new Ffmpeg(new MediaSettings(dir.resolve("no-ffmpeg").toString(), dir.resolve("no-ffprobe").toString())),
				new ImageSettings(40_000_000));

		assertThatThrownBy(() -> withoutFfmpeg.generate(input(GenerationKind.VIDEO, 7, null), attempt()))
			.isInstanceOf(ProviderException.class)
			.hasMessageContaining("PHORK_FFMPEG")
			.satisfies(ex -> assertThat(((ProviderException) ex).isTransient()).isFalse());
	}

	private static GenerationInput input(GenerationKind kind, long seed, @Nullable Path sourceImage) {
		return new GenerationInput(kind, PROMPT, seed, 320, 200, 4_500, sourceImage);
	}

	private static void assertClipAudio(MediaInfo info) {
		assertThat(info.audioCodec()).isEqualTo("aac");
		assertThat(info.audioSampleRate()).isEqualTo(MediaFormat.AUDIO_RATE);
		assertThat(info.audioChannels()).isEqualTo(MediaFormat.AUDIO_CHANNELS);
	}

	private Attempt attempt() throws IOException {
		return new Attempt(Files.createTempDirectory(dir, "attempt-"), new ArrayList<>());
	}

	private byte[] frame(Path video, String at) throws IOException {
		Path png = Files.createTempFile(dir, "frame-", ".png");
		ffmpeg.run(List.of("-ss", at, "-i", video.toString(), "-frames:v", "1", "-update", "1", png.toString()),
				Duration.ofSeconds(30));
		return Files.readAllBytes(png);
	}

	private static String sha256(Path file) throws IOException {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One attempt's context, as the job engine would give it. */
	private record Attempt(Path workDir, List<Double> progress) implements GenerationContext {

		@Override
		public Optional<String> providerJobId() {
			return Optional.empty();
		}

		@Override
		public void providerJobStarted(String providerJobId) {
		}

		@Override
		public void progress(double fraction) {
			progress.add(fraction);
		}

	}

}
