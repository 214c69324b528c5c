package dev.phork.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Joins a storyboard's clips, in order, into one MP4 in which every scene has its own audio: its
 * track cut or padded with silence to exactly the clip's length, or silence.
 *
 * <p>Each clip first becomes a segment, then the concat demuxer joins the segments and the video is
 * copied, not re-encoded. When every clip is in {@link MediaFormat} the segments copy the video too,
 * so a render of generated clips is fast and loses nothing. A single clip in another format makes
 * every segment re-encoded, not just that one: stream copy can only join H.264 streams with
 * identical parameters, and only our own encoding ({@link MediaEncoding}) guarantees those.
 *
 * <p>The segments carry their audio as PCM and the join encodes it to AAC once. Joining AAC segments
 * by copy would keep every segment's encoder priming: a few milliseconds of stray sound at each cut,
 * and a render that outlasts its clips.
 */
@Service
public class Renderer {

	private static final Logger log = LoggerFactory.getLogger(Renderer.class);

	private static final String SILENCE = "anullsrc=r=" + MediaFormat.AUDIO_RATE + ":cl=stereo";

	private static final String AUDIO_FORMAT = "aresample=" + MediaFormat.AUDIO_RATE
			+ ",aformat=sample_fmts=s16:channel_layouts=stereo";

	private static final String VIDEO_FORMAT = "scale=%1$d:%2$d:force_original_aspect_ratio=decrease,"
			+ "pad=%1$d:%2$d:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=%3$d,format=yuv420p";

	private final Ffmpeg ffmpeg;

	public Renderer(Ffmpeg ffmpeg) {
		this.ffmpeg = ffmpeg;
	}

	/** @param audio the scene's voice-over or music; the scene is silent without one */
	public record RenderScene(Path video, @Nullable Path audio) {
	}

	/** @param streamCopied whether the clips' video went into the render without re-encoding */
	public record RenderOutput(Path file, long durationMs, boolean streamCopied) {
	}

	/**
	 * Renders the scenes into {@code output}, whose duration is the sum of the clips' durations,
	 * within {@code timeout} in all.
	 *
	 * <p>Every FFmpeg and ffprobe step runs against what is left of that budget. A render that runs
	 * out of it fails for good rather than transiently: another attempt would take as long again, so
	 * a retry would only multiply the worker time it holds.
	 *
	 * @param progress receives the finished fraction, from 0 to 1, after every scene and at the end
	 */
	public RenderOutput render(List<RenderScene> scenes, Path output, DoubleConsumer progress, Duration timeout) {
		return render(scenes, output, progress, timeout, MediaFormat.WIDTH, MediaFormat.HEIGHT);
	}

	/** As {@link #render(List, Path, DoubleConsumer, Duration)}, at a frame size of the storyboard's aspect. */
	public RenderOutput render(List<RenderScene> scenes, Path output, DoubleConsumer progress, Duration timeout,
			int width, int height) {
		if (scenes.isEmpty()) {
			throw new MediaException("nothing to render: the storyboard has no scenes", false);
		}
		Budget budget = new Budget(timeout);
		List<MediaInfo> clips = new ArrayList<>();
		for (RenderScene scene : scenes) {
			clips.add(budget.get(() -> probe(scene, budget.left())));
		}
		boolean streamCopy = clips.stream().allMatch(clip -> clip.videoMatchesFormat(width, height));
		Path work = createWorkFolder(output);
		try {
			List<String> segments = new ArrayList<>();
			for (int i = 0; i < scenes.size(); i++) {
				String segment = "segment-" + i + ".mov";
				List<String> args = segmentArgs(scenes.get(i), MediaEncoding.frameAligned(clips.get(i).durationMs()),
						streamCopy, work.resolve(segment), width, height);
				budget.run(() -> ffmpeg.run(args, budget.left()));
				segments.add("file '" + segment + "'");
				progress.accept((i + 1.0) / (scenes.size() + 1));
			}
			Path list = work.resolve("segments.txt");
			Files.write(list, segments);
			List<String> join = new ArrayList<>(
					List.of("-f", "concat", "-i", list.toString(), "-map", "0:v", "-map", "0:a", "-c:v", "copy"));
			join.addAll(MediaEncoding.audio());
			join.addAll(MediaEncoding.container());
			join.add(output.toAbsolutePath().toString());
			budget.run(() -> ffmpeg.run(join, budget.left()));
			MediaInfo rendered = budget.get(() -> ffmpeg.probe(output, budget.left()));
			progress.accept(1);
			return new RenderOutput(output, rendered.durationMs(), streamCopy);
		}
		catch (IOException ex) {
			throw new MediaException("cannot write the segment list in " + work + ": " + ex.getMessage(), false, ex);
		}
		finally {
			delete(work);
		}
	}

	/** What is left of a render's time; a step that outlasts it ends the render for good. */
	private static final class Budget {

		private final Duration timeout;

		private final long deadline;

		Budget(Duration timeout) {
			this.timeout = timeout;
			this.deadline = System.nanoTime() + timeout.toNanos();
		}

		Duration left() {
			return Duration.ofNanos(deadline - System.nanoTime());
		}

		<T> T get(Supplier<T> step) {
			exhausted(null);
			try {
				return step.get();
			}
			catch (MediaException ex) {
				exhausted(ex);
				throw ex;
			}
		}

		void run(Runnable step) {
			get(() -> {
				step.run();
				return null;
			});
		}

		private void exhausted(@Nullable MediaException cause) {
			if (!left().isPositive()) {
				String message = "the render did not finish within its time limit of "
						+ MediaEncoding.seconds(timeout.toMillis()) + " s; render fewer or shorter scenes";
				throw cause == null ? new MediaException(message, false) : new MediaException(message, false, cause);
			}
		}

	}

	private MediaInfo probe(RenderScene scene, Duration timeout) {
		MediaInfo clip = ffmpeg.probe(scene.video(), timeout);
		if (!clip.hasVideo()) {
			throw new MediaException("the scene clip " + scene.video().getFileName() + " has no video", false);
		}
		Path audio = scene.audio();
		if (audio != null && !ffmpeg.probe(audio, timeout).hasAudio()) {
			throw new MediaException("the scene audio " + audio.getFileName() + " has no audio", false);
		}
		return clip;
	}

	private static List<String> segmentArgs(RenderScene scene, long durationMs, boolean streamCopy, Path segment,
			int width, int height) {
		String seconds = MediaEncoding.seconds(durationMs);
		List<String> args = new ArrayList<>(List.of("-i", scene.video().toAbsolutePath().toString()));
		Path track = scene.audio();
		if (track != null) {
			args.addAll(List.of("-i", track.toAbsolutePath().toString()));
		}
		else {
			args.addAll(List.of("-f", "lavfi", "-i", SILENCE));
		}
		// Pad first, then trim: the track ends with the clip whether it was longer or shorter.
		String audio = "[1:a:0]" + AUDIO_FORMAT + ",apad,atrim=end=" + seconds + "[a]";
		if (streamCopy) {
			args.addAll(List.of("-filter_complex", audio, "-map", "0:v:0", "-map", "[a]", "-c:v", "copy"));
		}
		else {
			String video = "[0:v:0]" + String.format(Locale.ROOT, VIDEO_FORMAT, width, height, MediaFormat.FPS) + ",tpad=stop_mode=clone:stop_duration=" + seconds + ",trim=end="
					+ seconds + "[v]";
			args.addAll(List.of("-filter_complex", video + ";" + audio, "-map", "[v]", "-map", "[a]"));
			args.addAll(MediaEncoding.video());
		}
		args.addAll(List.of("-c:a", "pcm_s16le", "-t", seconds, segment.toString()));
		return args;
	}

	/** Next to the output: the segments go on the disk that must have room for the render anyway. */
	private static Path createWorkFolder(Path output) {
		Path folder = output.toAbsolutePath().getParent();
		try {
			return Files.createTempDirectory(folder, ".render-");
		}
		catch (IOException ex) {
			throw new MediaException("cannot create a work folder in " + folder + ": " + ex.getMessage(), false, ex);
		}
	}

	private static void delete(Path folder) {
		try (Stream<Path> paths = Files.walk(folder)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			log.warn("Could not delete the render work folder {}: {}", folder, ex.getMessage());
		}
	}

}
