package dev.phork.media;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs FFmpeg and ffprobe as child processes.
 *
 * <p>The programs are looked up on first use, not at start: a server without FFmpeg still serves
 * everything else, and only media work fails, with {@link FfmpegMissing} saying how to install it.
 * A successful lookup is kept; a failed one is repeated next time, so installing FFmpeg needs no
 * restart.
 */
@Component
public class Ffmpeg {

	private static final Logger log = LoggerFactory.getLogger(Ffmpeg.class);

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

	private static final int ERROR_LINES = 5;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final MediaSettings settings;

	private volatile @Nullable Programs programs;

	public Ffmpeg(MediaSettings settings) {
		this.settings = settings;
	}

	private record Programs(Path ffmpeg, Path ffprobe) {
	}

	public boolean available() {
		return locate().isPresent();
	}

	/**
	 * Runs ffmpeg quietly, never reading stdin and always overwriting its output. A timeout kills it
	 * and is transient; a non-zero exit is not, and logs FFmpeg's last error lines (the exception says
	 * what failed in plain words).
	 */
	public void run(List<String> args, Duration timeout) {
		List<String> command = new ArrayList<>(
				List.of(programs().ffmpeg().toString(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
		command.addAll(args);
		execute("ffmpeg", command, timeout);
	}

	public MediaInfo probe(Path file) {
		return probe(file, PROBE_TIMEOUT);
	}

	/** Probes within {@code timeout}, or the usual probe timeout if that is shorter; a timeout is transient. */
	public MediaInfo probe(Path file, Duration timeout) {
		Duration limit = timeout.compareTo(PROBE_TIMEOUT) < 0 ? timeout : PROBE_TIMEOUT;
		byte[] output = execute("ffprobe", List.of(programs().ffprobe().toString(), "-v", "error", "-print_format",
				"json", "-show_format", "-show_streams", file.toAbsolutePath().toString()), limit);
		try {
			return MediaInfo.of(JSON.readTree(output));
		}
		catch (JacksonException ex) {
			log.warn("ffprobe gave unreadable output for {}: {}", file, ex.getOriginalMessage());
			throw new MediaException("the media could not be read: it may be damaged or not a media file", false, ex);
		}
	}

	private Programs programs() {
		return locate().orElseThrow(FfmpegMissing::new);
	}

	private Optional<Programs> locate() {
		Programs found = programs;
		if (found == null) {
			Optional<Path> ffmpeg = find(settings.ffmpegPath(), "ffmpeg");
			Optional<Path> ffprobe = find(settings.ffprobePath(), "ffprobe");
			if (ffmpeg.isEmpty() || ffprobe.isEmpty()) {
				return Optional.empty();
			}
			found = new Programs(ffmpeg.get(), ffprobe.get());
			programs = found;
		}
		return Optional.of(found);
	}

	/** A configured path is used as is, never silently replaced by another copy found on the PATH. */
	private static Optional<Path> find(@Nullable String configured, String program) {
		if (configured != null && !configured.isBlank()) {
			return Optional.of(Path.of(configured)).filter(Ffmpeg::isProgram);
		}
		String searchPath = System.getenv("PATH");
		if (searchPath == null) {
			return Optional.empty();
		}
		return Arrays.stream(searchPath.split(File.pathSeparator))
			.filter(dir -> !dir.isBlank())
			.map(dir -> Path.of(dir, program))
			.filter(Ffmpeg::isProgram)
			.findFirst();
	}

	private static boolean isProgram(Path path) {
		return Files.isRegularFile(path) && Files.isExecutable(path);
	}

	private static byte[] execute(String program, List<String> command, Duration timeout) {
		log.debug("Running {}", command);
		Process process;
		try {
			process = new ProcessBuilder(command).start();
		}
		catch (IOException ex) {
			log.warn("Cannot run {}: {}", program, ex.getMessage());
			throw new MediaException(program + " could not be started on the server; its operator must fix the "
					+ "installation (PHORK_FFMPEG, PHORK_FFPROBE)", false, ex);
		}
		// Both pipes are drained while the process runs: one that fills up would stall it until the timeout.
		FutureTask<byte[]> stdout = drain(process.getInputStream());
		FutureTask<byte[]> stderr = drain(process.getErrorStream());
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new MediaException(program + " did not finish within " + timeout.toSeconds() + " s", true);
			}
			if (process.exitValue() != 0) {
				// FFmpeg's own lines (decoder names, memory addresses, server paths) are for the
				// operator; the job's error says what failed in words its user can act on.
				log.warn("{} failed (exit {}): {}", program, process.exitValue(),
						lastLines(new String(stderr.get(), StandardCharsets.UTF_8)));
				throw new MediaException(program.equals("ffprobe")
						? "the media could not be read: it may be damaged or not a media file"
						: "the media could not be processed: an input may be damaged or in a format that cannot be "
								+ "decoded; generate it again or use another", false);
			}
			return stdout.get();
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new MediaException("interrupted while running " + program, true, ex);
		}
		catch (ExecutionException ex) {
			log.warn("Cannot read the output of {}: {}", program, ex.getCause().toString());
			throw new MediaException("the media could not be processed: reading " + program + "'s output failed",
					false, ex);
		}
	}

	private static FutureTask<byte[]> drain(InputStream stream) {
		FutureTask<byte[]> task = new FutureTask<>(stream::readAllBytes);
		Thread.ofVirtual().start(task);
		return task;
	}

	private static String lastLines(String output) {
		List<String> lines = output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
		return lines.isEmpty() ? "(no error output)"
				: String.join(" | ", lines.subList(Math.max(0, lines.size() - ERROR_LINES), lines.size()));
	}

}
