package dev.phork.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.phork.media.Renderer.RenderOutput;
import dev.phork.media.Renderer.RenderScene;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RendererTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	/** One frame at {@link MediaFormat#FPS}: how far a render may be off the sum of its clips. */
	private static final long FRAME_MS = 1000 / MediaFormat.FPS;

	private final Ffmpeg ffmpeg = new Ffmpeg(new MediaSettings(null, null));

	private final Renderer renderer = new Renderer(ffmpeg);

	@TempDir
	Path dir;

	@Test
	void clipsInTheMediaFormatAreJoinedByStreamCopy() throws IOException {
		Path voice = tone("voice.m4a", 2_000);
		List<Double> progress = new ArrayList<>();

		RenderOutput render = renderer.render(List.of(new RenderScene(clip("one.mp4"), voice),
				new RenderScene(clip("two.mp4"), null), new RenderScene(clip("three.mp4"), null)),
				dir.resolve("render.mp4"), progress::add, TIMEOUT);

		assertThat(render.streamCopied()).isTrue();
		MediaInfo info = ffmpeg.probe(render.file());
		assertThat(render.durationMs()).isEqualTo(info.durationMs());
		assertThat(info.durationMs()).isCloseTo(13_500, within(100L));
		assertThat(info.videoMatchesFormat()).isTrue();
		assertThat(info.audioCodec()).isEqualTo("aac");
		assertThat(info.audioSampleRate()).isEqualTo(MediaFormat.AUDIO_RATE);
		assertThat(info.audioChannels()).isEqualTo(MediaFormat.AUDIO_CHANNELS);
		assertThat(audioDurationMs(render.file())).isCloseTo(info.durationMs(), within(FRAME_MS));
		assertThat(progress).hasSize(4).isSorted().last().isEqualTo(1.0);
		assertThat(workFolders()).isEmpty();
	}

	@Test
	void clipInAnotherFormatMakesEverySegmentReencoded() throws IOException {
		Path odd = dir.resolve("odd.mp4");
		ffmpeg.run(List.of("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30", "-t", "4.5", "-c:v", "libx264", "-pix_fmt",
				"yuv420p", odd.toString()), TIMEOUT);
		List<RenderScene> scenes = List.of(new RenderScene(clip("one.mp4"), null), new RenderScene(odd, null),
				new RenderScene(clip("three.mp4"), null));
		long clipsMs = scenes.stream().mapToLong(scene -> ffmpeg.probe(scene.video()).durationMs()).sum();

		RenderOutput render = renderer.render(scenes, dir.resolve("render.mp4"), fraction -> {
		}, TIMEOUT);

		assertThat(render.streamCopied()).isFalse();
		MediaInfo info = ffmpeg.probe(render.file());
		assertThat(info.durationMs()).isCloseTo(clipsMs, within(FRAME_MS));
		assertThat(info.videoMatchesFormat()).isTrue();
		assertThat(info.hasAudio()).isTrue();
		assertThat(workFolders()).isEmpty();
	}

	@Test
	void sceneAudioIsCutOrPaddedToItsClip() {
		Path clip = clip("one.mp4");
		long clipMs = ffmpeg.probe(clip).durationMs();

		RenderOutput cut = renderer.render(List.of(new RenderScene(clip, tone("long.m4a", 8_000))),
				dir.resolve("cut.mp4"), fraction -> {
				}, TIMEOUT);
		RenderOutput padded = renderer.render(List.of(new RenderScene(clip, tone("short.m4a", 1_000))),
				dir.resolve("padded.mp4"), fraction -> {
				}, TIMEOUT);

		assertThat(cut.durationMs()).isCloseTo(clipMs, within(FRAME_MS));
		assertThat(audioDurationMs(cut.file())).isCloseTo(clipMs, within(FRAME_MS));
		assertThat(padded.durationMs()).isCloseTo(clipMs, within(FRAME_MS));
		assertThat(audioDurationMs(padded.file())).isCloseTo(clipMs, within(FRAME_MS));
	}

	@Test
	void aRenderThatOutlastsItsTimeLimitStopsThereAndFailsForGood() throws IOException {
		Path clip = clip("one.mp4");
		// 150 scenes take a few hundred FFmpeg and ffprobe runs: seconds, far more than the limit.
		List<RenderScene> scenes = Collections.nCopies(150, new RenderScene(clip, null));
		long started = System.nanoTime();

		assertThatThrownBy(() -> renderer.render(scenes, dir.resolve("render.mp4"), fraction -> {
		}, Duration.ofMillis(300))).isInstanceOfSatisfying(MediaException.class, failure -> {
			assertThat(failure.isTransient()).as("a retry would take as long again").isFalse();
			assertThat(failure.getMessage()).contains("time limit of 0.300 s");
		});

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(dir.resolve("render.mp4")).doesNotExist();
		assertThat(workFolders()).isEmpty();
	}

	/** A 4.5 s clip made the way the generator makes them. */
	private Path clip(String name) {
		Path file = dir.resolve(name);
		List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i",
				"testsrc2=s=" + MediaFormat.WIDTH + "x" + MediaFormat.HEIGHT + ":r=" + MediaFormat.FPS, "-f", "lavfi",
				"-i", "sine=frequency=330:sample_rate=48000", "-t", "4.5"));
		args.addAll(MediaEncoding.video());
		args.addAll(MediaEncoding.audio());
		args.addAll(MediaEncoding.container());
		args.add(file.toString());
		ffmpeg.run(args, TIMEOUT);
		return file;
	}

	private Path tone(String name, long durationMs) {
		Path file = dir.resolve(name);
		ffmpeg.run(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t",
				MediaEncoding.seconds(durationMs), "-c:a", "aac", file.toString()), TIMEOUT);
		return file;
	}

	private long audioDurationMs(Path video) {
		Path audio = dir.resolve(video.getFileName() + ".m4a");
		ffmpeg.run(List.of("-i", video.toString(), "-map", "0:a", "-c", "copy", audio.toString()), TIMEOUT);
		return ffmpeg.probe(audio).durationMs();
	}

	private List<Path> workFolders() throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter(file -> file.getFileName().toString().startsWith(".render-")).toList();
		}
	}

}
