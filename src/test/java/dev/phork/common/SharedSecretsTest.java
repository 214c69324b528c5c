package dev.phork.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phork.ApiTest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Signing secrets live in the database, generated once however many processes start together, and a
 * configured secret that disagrees with the shared one is said in one line.
 */
@ExtendWith(OutputCaptureExtension.class)
class SharedSecretsTest extends ApiTest {

	@Autowired
	SharedSecrets secrets;

	@Test
	void thisServersSecretsWereGeneratedIntoTheDatabase() {
		List<String> names = db.sql("SELECT name FROM shared_secrets WHERE secret IS NOT NULL AND name IN ('jwt', 'mint', 'url')")
			.query(String.class).list();
		assertThat(names).containsExactlyInAnyOrder("jwt", "mint", "url");
	}

	@Test
	void processesStartingTogetherAllGetTheOneSecretThatWon() throws Exception {
		String name = "race-" + UUID.randomUUID();
		int starters = 12;
		CountDownLatch start = new CountDownLatch(1);
		List<Future<byte[]>> results = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(starters)) {
			for (int i = 0; i < starters; i++) {
				results.add(pool.submit(() -> {
					start.await();
					return secrets.get(name, null, "PHORK_TEST_SECRET", "nothing");
				}));
			}
			start.countDown();
			List<String> seen = new ArrayList<>();
			for (Future<byte[]> result : results) {
				seen.add(HexFormat.of().formatHex(result.get()));
			}
			assertThat(seen).hasSize(starters).containsOnly(seen.getFirst());
		}
		byte[] stored = db.sql("SELECT secret FROM shared_secrets WHERE name = :n").param("n", name).query(byte[].class).single();
		assertThat(HexFormat.of().formatHex(stored)).isEqualTo(HexFormat.of().formatHex(secrets.get(name, "", "PHORK_TEST_SECRET", "")));
		assertThat(stored).hasSize(48);
	}

	@Test
	void aConfiguredSecretThatDisagreesIsSaidInOneLine(CapturedOutput output) {
		String name = "configured-" + UUID.randomUUID();
		String first = "a configured secret of at least 32 bytes, first";
		assertThat(secrets.get(name, first, "PHORK_TEST_SECRET", "receipts will not verify")).isEqualTo(first.getBytes());
		// Configured secrets are never stored, only their fingerprint.
		assertThat(db.sql("SELECT secret IS NULL FROM shared_secrets WHERE name = :n").param("n", name).query(Boolean.class)
			.single()).isTrue();
		assertThat(secrets.get(name, first, "PHORK_TEST_SECRET", "receipts will not verify")).isEqualTo(first.getBytes());
		assertThat(output.getOut()).doesNotContain("PHORK_TEST_SECRET differs");

		secrets.get(name, "another configured secret of at least 32 bytes", "PHORK_TEST_SECRET", "receipts will not verify");

		List<String> lines = output.getOut().lines().filter(l -> l.contains("PHORK_TEST_SECRET differs")).toList();
		assertThat(lines).hasSize(1);
		assertThat(lines.getFirst()).contains("receipts will not verify").doesNotContain("another configured secret");
		// A process without the variable cannot sign like the others: it says which variable to set.
		assertThatThrownBy(() -> secrets.get(name, null, "PHORK_TEST_SECRET", "x")).isInstanceOf(StartupFailure.class)
			.hasMessageContaining("PHORK_TEST_SECRET");
		assertThatThrownBy(() -> secrets.get(name, "too short", "PHORK_TEST_SECRET", "x")).isInstanceOf(StartupFailure.class)
			.hasMessageContaining("shorter than 32 bytes");
	}

}
