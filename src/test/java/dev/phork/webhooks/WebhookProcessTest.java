package dev.phork.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.phork.ApiTest;
import dev.phork.Http;
import dev.phork.PhorkApplication;
import dev.phork.common.DataDirectory;
import dev.phork.webhooks.WebhookReceiver.Answer;
import dev.phork.webhooks.WebhookReceiver.Delivery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Dispatchers in other Phork processes on this test's database, while this server's dispatcher is
 * stopped so that only they deliver: one started without {@code PHORK_ALLOW_PRIVATE_URLS} refuses
 * loopback URLs at registration and at delivery; one killed (SIGKILL) in the middle of a delivery
 * loses nothing, since the delivery is still pending and a restarted dispatcher sends it, with the
 * same {@code webhook-id}.
 */
class WebhookProcessTest extends ApiTest {

	private static WebhookReceiver receiver;

	@Autowired
	HikariDataSource dataSource;

	@Autowired
	DataDirectory dataDirectory;

	@Autowired
	Dispatcher dispatcher;

	@BeforeAll
	static void startReceiver() throws Exception {
		receiver = new WebhookReceiver();
	}

	@AfterAll
	static void stopReceiver() {
		receiver.close();
	}

	@BeforeEach
	void onlyOtherProcessesDeliver() {
		dispatcher.stop();
	}

	@AfterEach
	void deliverHereAgain() {
		dispatcher.start();
	}

	@Test
	void aServerWithoutTheFlagRefusesPrivateAddressesAtRegistrationAndAtDelivery() throws Exception {
		Path log = Files.createTempFile("phork-webhooks-strict", ".log");
		Process strict = start(log, "serve", Map.of("PHORK_ALLOW_PRIVATE_URLS", "false", "PHORK_WEBHOOK_RETRY_SCHEDULE", "0s"));
		try {
			Http other = awaitHealthy(new Http("http://localhost:" + awaitPort(strict, log), json));
			TestUser owner = register();
			String base = "/workspaces/" + owner.workspaceId() + "/webhooks";
			for (String url : List.of(receiver.url("refused"), "http://localhost:9/hook", "http://[::1]:9/hook",
					"http://10.0.0.8/hook", "http://169.254.169.254/latest/meta-data")) {
				other.post(base, owner.token(), "{\"url\":\"" + url + "\",\"events\":[\"*\"]}")
					.assertProblem(422, "webhook_url_not_allowed");
			}
			assertThat(db.sql("SELECT count(*) FROM webhook_endpoints WHERE workspace_id = :w")
				.param("w", owner.workspaceId()).query(Long.class).single()).isZero();

			// Registered where private URLs are allowed, it is still refused by the strict dispatcher.
			String name = "strict-" + UUID.randomUUID();
			UUID endpoint = http.post(base, owner.token(), "{\"url\":\"" + receiver.url(name) + "\",\"events\":[\"*\"]}")
				.assertStatus(201).uuid("id");
			http.post(base + "/" + endpoint + "/test", owner.token(), null).assertStatus(202);
			JsonNode refused = await(owner, base + "/" + endpoint + "/deliveries", "gave_up");
			assertThat(refused.get("error").asString()).startsWith("not sent:").contains("127.0.0.1");
			assertThat(refused.get("responseStatus").isNull()).isTrue();
			assertThat(receiver.received(name)).isEmpty();
			http.delete(base + "/" + endpoint, owner.token()).assertStatus(204);
		}
		finally {
			strict.destroy();
			strict.waitFor();
		}
	}

	@Test
	void aDispatcherKilledMidDeliveryLosesNothing() throws Exception {
		Path log = Files.createTempFile("phork-webhooks-killed", ".log");
		Map<String, String> settings = Map.of("PHORK_ALLOW_PRIVATE_URLS", "true", "PHORK_WEBHOOK_TIMEOUT", "3s");
		Process first = start(log, "worker", settings);
		Process restarted = null;
		try {
			awaitLine(first, log, "webhook dispatcher");
			TestUser owner = register();
			String base = "/workspaces/" + owner.workspaceId() + "/webhooks";
			String name = "killed-" + UUID.randomUUID();
			JsonNode created = http.post(base, owner.token(), "{\"url\":\"" + receiver.url(name) + "\",\"events\":[\"*\"]}")
				.assertStatus(201).json();
			String secret = created.get("secret").asString();
			String deliveries = base + "/" + created.get("id").asString() + "/deliveries";
			receiver.script(name, Answer.held());
			http.post(base + "/" + created.get("id").asString() + "/test", owner.token(), null).assertStatus(202);

			Delivery interrupted = receiver.await(name, 1).getFirst();
			first.destroyForcibly();
			first.waitFor();
			receiver.releaseHeld();
			JsonNode pending = http.get(deliveries, owner.token()).json().get("items");
			assertThat(pending).hasSize(1);
			assertThat(pending.get(0).get("status").asString()).isEqualTo("pending");

			Path secondLog = Files.createTempFile("phork-webhooks-restarted", ".log");
			restarted = start(secondLog, "worker", settings);
			List<Delivery> both = receiver.await(name, Duration.ofSeconds(90), list -> list.size() >= 2);
			Delivery delivered = both.get(1);
			assertThat(delivered.header("webhook-id")).isEqualTo(interrupted.header("webhook-id"));
			delivered.verify(secret);
			JsonNode done = await(owner, deliveries, "succeeded");
			assertThat(done.get("attempt").asInt()).isEqualTo(1);
			assertThat(done.get("responseStatus").asInt()).isEqualTo(200);
		}
		finally {
			first.destroyForcibly();
			first.waitFor();
			if (restarted != null) {
				restarted.destroy();
				restarted.waitFor();
			}
		}
	}

	/** Waits until the endpoint's first attempt has the status, and answers it. */
	private JsonNode await(TestUser owner, String deliveries, String status) {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode items = http.get(deliveries, owner.token()).assertStatus(200).json().get("items");
			if (!items.isEmpty() && items.get(items.size() - 1).get("status").asString().equals(status)) {
				return items.get(items.size() - 1);
			}
			sleep(100);
		}
		throw new AssertionError("no delivery became " + status + ": " + http.get(deliveries, owner.token()).body());
	}

	private Process start(Path log, String command, Map<String, String> settings) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), PhorkApplication.class.getName(), command,
				"--server.port=0")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> env = builder.environment();
		env.put("PHORK_DATABASE_URL", dataSource.getJdbcUrl());
		env.put("PHORK_DATABASE_USERNAME", dataSource.getUsername());
		env.put("PHORK_DATABASE_PASSWORD", dataSource.getPassword());
		env.put("PHORK_DATA_DIR", dataDirectory.root().toString());
		env.put("PHORK_WORKER_ENABLED", "false");
		env.put("PHORK_WEBHOOK_ALLOW_HTTP", "true");
		env.put("PHORK_WEBHOOK_POLL_INTERVAL", "200ms");
		env.putAll(settings);
		return builder.start();
	}

	/** "Tomcat started" comes before the application is ready; a busy machine shows the gap. */
	private static Http awaitHealthy(Http other) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (true) {
			try {
				if (other.get("/health", null).status() == 200) {
					return other;
				}
			}
			catch (IllegalStateException notYet) {
				if (System.nanoTime() > deadline) {
					throw notYet;
				}
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("the second Phork process did not become healthy");
			}
			Thread.sleep(200);
		}
	}

	private static int awaitPort(Process process, Path log) throws Exception {
		Matcher matcher = Pattern.compile("Tomcat started on port (\\d+)").matcher(awaitLine(process, log, "Tomcat started"));
		assertThat(matcher.find()).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

	private static String awaitLine(Process process, Path log, String text) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
		while (System.nanoTime() < deadline) {
			String output = Files.readString(log);
			if (output.contains(text)) {
				return output;
			}
			if (!process.isAlive()) {
				throw new AssertionError("the second Phork process exited:\n" + output);
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the second Phork process did not start:\n" + Files.readString(log));
	}

}
