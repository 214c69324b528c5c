package dev.phork;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's tour, as written: its {@code sh} blocks run with bash against this test's server,
 * each curl made to fail on an error status, so a step that does not work as the README says
 * stops the tour (the README keeps exactly two set-up commands above it).
 */
class ReadmeTourTest extends ApiTest {

	@Test
	void theTourRunsFromTopToBottom() throws IOException, InterruptedException {
		String readme = Files.readString(Path.of("README.md"));
		assertThat(shBlocks(readme.substring(0, readme.indexOf("## ")))).singleElement()
			.satisfies(setup -> assertThat(setup.lines().filter(l -> !l.isBlank())).hasSize(2));
		String section = readme.substring(readme.indexOf("## A short tour"));
		section = section.substring(0, section.indexOf("\n## ", 1));
		List<String> tour = shBlocks(section);
		assertThat(tour).isNotEmpty();
		String script = "set -euo pipefail\n"
				+ "curl() { command curl --fail-with-body --max-time 120 \"$@\"; }\n"
				+ String.join("\n", tour).replace("http://localhost:8080", "http://localhost:" + port);
		Path folder = Files.createTempDirectory(Path.of("target"), "tour");
		try {
			Path log = folder.resolve("tour.log");
			Process bash = new ProcessBuilder("bash", "-c", script).directory(folder.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			boolean ended = bash.waitFor(5, TimeUnit.MINUTES);
			if (!ended) {
				bash.destroyForcibly();
			}
			String output = Files.readString(log, StandardCharsets.UTF_8);
			assertThat(ended).as("the tour ended in time:\n%s", output).isTrue();
			assertThat(bash.exitValue()).as("the tour's exit status; it printed:\n%s", output).isZero();
			byte[] render = Files.readAllBytes(folder.resolve("render.mp4"));
			assertThat(new String(render, 4, 4, StandardCharsets.US_ASCII)).as("render.mp4 is an MP4").isEqualTo("ftyp");
		}
		finally {
			try (Stream<Path> files = Files.walk(folder)) {
				files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
			}
		}
	}

	private static List<String> shBlocks(String markdown) {
		List<String> blocks = new ArrayList<>();
		int at = 0;
		while ((at = markdown.indexOf("```sh\n", at)) >= 0) {
			int end = markdown.indexOf("\n```", at);
			blocks.add(markdown.substring(at + "```sh\n".length(), end));
			at = end + 4;
		}
		return blocks;
	}

}
