package dev.phork;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real server as its own process the way a user would, with each common problem, and
 * checks it exits with one clear line and no stack trace.
 */
class StartupFailureTest {

	@TempDir
	Path tmp;

	@Test
	void portInUseIsOneLine() throws Exception {
		try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
			Path data = Files.createDirectory(tmp.resolve("port-test"));
			Result result = start(Map.of("PHORK_DATA_DIR", data.toString()), "--server.port=" + busy.getLocalPort());
			assertThat(result.exitCode()).isEqualTo(1);
			assertThat(result.errorLine()).contains("Port " + busy.getLocalPort()).contains("--server.port");
			assertThat(result.output()).doesNotContain("\tat ");
		}
	}

	@Test
	void unwritableDataDirIsOneLine() throws Exception {
		Path file = Files.createFile(tmp.resolve("not-a-dir.txt"));
		Result result = start(Map.of("PHORK_DATA_DIR", file.resolve("data").toString()), "--server.port=0");
		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(result.errorLine()).contains("data directory").contains("not writable").contains("PHORK_DATA_DIR");
		assertThat(result.output()).doesNotContain("\tat ");
	}

	@Test
	void unreachableDatabaseIsOneLine() throws Exception {
		Path data = Files.createDirectory(tmp.resolve("db-test"));
		int closedPort;
		try (ServerSocket probe = new ServerSocket(0)) {
			closedPort = probe.getLocalPort();
		}
		Result result = start(Map.of("PHORK_DATA_DIR", data.toString(), "PHORK_DATABASE_URL",
				"jdbc:postgresql://127.0.0.1:" + closedPort + "/phork"), "--server.port=0");
		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(result.errorLine()).contains("database unreachable").contains("PHORK_DATABASE_URL");
		assertThat(result.output()).doesNotContain("\tat ");
	}

	record Result(int exitCode, String output, String errorLine) {
	}

	private static Result start(Map<String, String> env, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), PhorkApplication.class.getName()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(env);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		String errorLine = output.lines().filter(l -> l.startsWith("phork: ")).findFirst().orElse("(no 'phork:' line)\n" + output);
		return new Result(process.exitValue(), output, errorLine);
	}

}
