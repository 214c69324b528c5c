package dev.phork.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegTest {

	@TempDir
	Path dir;

	@Test
	void configuredFfmpegThatDoesNotExistIsMissingWithInstallHint() {
		Ffmpeg ffmpeg = new Ffmpeg(new MediaSettings(dir.resolve("no-ffmpeg").toString(), null));

		assertThat(ffmpeg.available()).isFalse();
		assertThatThrownBy(() -> ffmpeg.run(List.of("-version"), Duration.ofSeconds(10)))
			.isInstanceOf(FfmpegMissing.class)
			.hasMessageContaining("apt-get install ffmpeg")
			.hasMessageContaining("brew install ffmpeg")
			.hasMessageContaining("PHORK_FFMPEG")
			.satisfies(ex -> assertThat(((MediaException) ex).isTransient()).isFalse());
	}

	@Test
	void ffmpegOnThePathIsFoundWhenNothingIsConfigured() {
		assertThat(new Ffmpeg(new MediaSettings("", null)).available()).isTrue();
	}

	@Test
	void failedRunSaysWhatFailedInWordsWithoutPathsAndIsPermanent() {
		Ffmpeg ffmpeg = new Ffmpeg(new MediaSettings(null, null));

		assertThatThrownBy(() -> ffmpeg.run(List.of("-i", dir.resolve("absent.mp4").toString(), "-f", "null", "-"),
				Duration.ofSeconds(10)))
			.isInstanceOf(MediaException.class)
			.hasMessageStartingWith("the media could not be processed")
			.hasMessageNotContaining(dir.toString())
			.satisfies(ex -> assertThat(((MediaException) ex).isTransient()).isFalse());
	}

	@Test
	void runThatOutlastsItsTimeoutIsKilledAndTransient() {
		Ffmpeg ffmpeg = new Ffmpeg(new MediaSettings(null, null));

		assertThatThrownBy(
				() -> ffmpeg.run(List.of("-f", "lavfi", "-i", "testsrc2", "-f", "null", "-"), Duration.ofMillis(500)))
			.isInstanceOf(MediaException.class)
			.hasMessageContaining("did not finish")
			.satisfies(ex -> assertThat(((MediaException) ex).isTransient()).isTrue());
	}

}
