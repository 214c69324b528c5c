package dev.phork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another Phork process started from this test JVM's class path ({@code serve} or {@code worker}),
 * with its output in a log file the test waits on.
 */
public final class PhorkProcess implements AutoCloseable {

	private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

	private final Process process;

	private final Path log;

	private PhorkProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	/** Starts {@code phork <command> --server.port=0} with these environment variables. */
	public static PhorkProcess start(String command, Map<String, String> environment) throws IOException {
		Path log = Files.createTempFile("phork-" + command, ".log");
		List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), PhorkApplication.class.getName(), command));
		if (command.equals("serve")) {
			args.add("--server.port=0");
		}
		ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().putAll(environment);
		return new PhorkProcess(builder.start(), log);
	}

	/** Waits until the server listens, and answers its port. */
	public int awaitPort() throws Exception {
		return Integer.parseInt(await(STARTED).group(1));
	}

	/** Waits until the log has a line with {@code text}. */
	public void awaitLine(String text) throws Exception {
		await(Pattern.compile(Pattern.quote(text)));
	}

	public String log() throws IOException {
		return Files.readString(log);
	}

	private Matcher await(Pattern pattern) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(420).toNanos();
		while (System.nanoTime() < deadline) {
			Matcher matcher = pattern.matcher(log());
			if (matcher.find()) {
				return matcher;
			}
			if (!process.isAlive()) {
				throw new AssertionError("the Phork process exited:\n" + log());
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the Phork process did not get to '" + pattern + "':\n" + log());
	}

	@Override
	public void close() throws InterruptedException {
		process.destroy();
		process.waitFor();
	}

}
