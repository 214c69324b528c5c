package dev.phork;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code phork demo} without a URL, as a user runs it: in a process of its own (a second Spring
 * context in the test JVM would stop the shared database), with a temp folder of its own. The
 * embedded server's folder (some 50 MB) is gone afterwards, and stopping it logs nothing alarming.
 */
class DemoEmbeddedTest {

	@TempDir
	Path tmp;

	@Test
	void theEmbeddedDemoCompletesCleansUpAndStopsQuietly() throws Exception {
		Path log = tmp.resolve("demo.log");
		Path temp = Files.createDirectory(tmp.resolve("tmp"));
		Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Djava.io.tmpdir=" + temp, "-cp", System.getProperty("java.class.path"), PhorkApplication.class.getName(),
				"demo")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			assertThat(demo.waitFor(8, TimeUnit.MINUTES)).as("the demo finished").isTrue();
		}
		finally {
			demo.destroyForcibly();
		}
		String output = Files.readString(log);
		assertThat(demo.exitValue()).as(output).isZero();
		assertThat(output).contains("== E2E DEMO COMPLETE ==");
		String afterDemo = output.substring(output.indexOf("== E2E DEMO COMPLETE =="));
		assertThat(afterDemo).as("what stopping the embedded server logged")
			.doesNotContain(" WARN ", " ERROR ", "Exception", "\tat ", "marked as broken", "Rescue failed");
		try (Stream<Path> left = Files.list(temp)) {
			List<String> names = left.map(path -> path.getFileName().toString()).toList();
			assertThat(names).as("left in the temp folder").noneMatch(name -> name.startsWith("phork-"));
		}
	}

}
