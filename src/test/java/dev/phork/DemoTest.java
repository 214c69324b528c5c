package dev.phork;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.demo.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code phork demo --url ...} walks seed 000's twelve steps against a running server and passes. */
class DemoTest extends ApiTest {

	@Test
	void theDemoCompletesAgainstARunningServer() {
		PrintStream original = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		int exit;
		try {
			System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
			exit = Demo.run(new String[] { "--url", "http://localhost:" + port }, PhorkApplication.class);
		}
		finally {
			System.setOut(original);
		}
		String output = captured.toString(StandardCharsets.UTF_8);
		assertThat(exit).as(output).isZero();
		assertThat(output).contains("--- Step 12: Verify fork independence ---").contains("== E2E DEMO COMPLETE ==")
			.contains("balance is 850").doesNotContain("[FAIL]");
	}

}
