package dev.phork;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the integration tests: the real server on a random port, over real HTTP, backed by one
 * embedded PostgreSQL for the whole test JVM (the Spring context, and so the database, is shared
 * by every test class that extends this one).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ApiTest.TestProviders.class)
public abstract class ApiTest {

	private static final Path DATA_DIR = Path.of("target", "test-data", UUID.randomUUID().toString());

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("phork.data-dir", DATA_DIR::toString);
		registry.add("phork.database.url", () -> "");
		// Actuator on a random port of its own, as in production on a fixed one.
		registry.add("management.server.port", () -> "0");
		// A fast engine for tests: short leases, quick rescue and retries.
		registry.add("phork.jobs.lease", () -> "2s");
		registry.add("phork.jobs.rescue-interval", () -> "300ms");
		registry.add("phork.jobs.poll-interval", () -> "200ms");
		registry.add("phork.jobs.backoff", () -> "50ms");
		// Room for tests that park jobs on purpose beside tests that need free workers.
		registry.add("phork.worker.concurrency", () -> "8");
		// Twice a production process's workers on 2 s leases, beside dozens of concurrent clients:
		// more connections than the default of 10, which suits one of several production processes.
		registry.add("phork.database.max-pool-size", () -> "40");
		// Every test registers its users from 127.0.0.1; AuthThrottleTest runs a second Phork process
		// with real limits on the same database to test them.
		registry.add("phork.auth.throttle.registrations-per-address", () -> "1000000");
		registry.add("phork.auth.throttle.address-failures", () -> "1000000");
		// Event streams that notice a gone client or a removed member within a fraction of a second.
		registry.add("phork.events.heartbeat", () -> "200ms");
		registry.add("phork.events.recheck", () -> "300ms");
		// Webhooks to the tests' receiver on loopback over plain HTTP (WebhookUrlsTest and
		// WebhookProcessTest check the refusals), with a short timeout and quick retries. A
		// low-credit threshold just under the starter grant, so one debit crosses it.
		registry.add("phork.webhooks.allow-private-urls", () -> "true");
		registry.add("phork.webhooks.allow-http", () -> "true");
		registry.add("phork.webhooks.timeout", () -> "2s");
		registry.add("phork.webhooks.retry-schedule", () -> "0s,200ms,200ms,200ms");
		registry.add("phork.webhooks.poll-interval", () -> "200ms");
		registry.add("phork.credits.low", () -> "999");
	}

	@TestConfiguration
	static class TestProviders {

		@Bean
		ScriptedProvider scriptedProvider() {
			return new ScriptedProvider();
		}

	}

	@LocalServerPort
	protected int port;

	@Autowired
	protected JdbcClient db;

	@Autowired
	protected JsonMapper json;

	protected Http http;

	@BeforeEach
	protected void client() {
		http = new Http("http://localhost:" + port, json);
	}

	protected TestUser register() {
		return register("User " + UUID.randomUUID().toString().substring(0, 8));
	}

	protected TestUser register(String name) {
		String email = "u" + UUID.randomUUID().toString().replace("-", "") + "@example.com";
		Http.Response response = http.post("/auth/register", null,
				"{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"name\":\"" + name + "\"}");
		response.assertStatus(201);
		return new TestUser(response.json().get("token").asString(),
				UUID.fromString(response.json().get("user").get("id").asString()),
				UUID.fromString(response.json().get("workspace").get("id").asString()), email);
	}

	/**
	 * Makes {@code member} a member of the workspace with the given role, the way the API lets it
	 * happen: the owner invites, the member accepts. Every test that needs a teammate goes through
	 * here, so how membership is granted is written once.
	 */
	protected void addMember(TestUser owner, UUID workspaceId, TestUser member, String role) {
		UUID invitation = invite(owner, workspaceId, member.email(), role);
		http.post("/invitations/" + invitation + "/accept", member.token(), null).assertStatus(200);
	}

	/** Invites the email to the workspace as the owner; answers the invitation's id. */
	protected UUID invite(TestUser owner, UUID workspaceId, String email, String role) {
		return http.post("/workspaces/" + workspaceId + "/invitations", owner.token(),
				"{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}").assertStatus(201).uuid("id");
	}

	protected UUID createProject(TestUser user, String name, String visibility) {
		Http.Response response = http.post("/projects", user.token(), "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"name\":\"" + name + "\",\"visibility\":\"" + visibility + "\"}");
		response.assertStatus(201);
		return response.uuid("id");
	}

	protected UUID commit(TestUser user, UUID projectId, String message, String scenesJson) {
		Http.Response response = http.post("/projects/" + projectId + "/commits", user.token(),
				"{\"message\":\"" + message + "\",\"timeline\":{\"scenes\":" + scenesJson + "}}");
		response.assertStatus(201);
		return response.uuid("id");
	}

	protected UUID fork(TestUser user, UUID projectId) {
		Http.Response response = http.post("/projects/" + projectId + "/fork", user.token(),
				"{\"workspaceId\":\"" + user.workspaceId() + "\"}");
		response.assertStatus(201);
		return response.uuid("id");
	}

	/** Submits a job and answers its JSON. */
	protected Http.Response submit(TestUser user, String type, String body) {
		return http.post("/jobs/" + type, user.token(), body);
	}

	/** Waits (up to a minute) until the job has ended, and answers it. */
	protected tools.jackson.databind.JsonNode awaitJob(TestUser user, UUID jobId) {
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			tools.jackson.databind.JsonNode job = http.get("/jobs/" + jobId, user.token()).assertStatus(200).json();
			String status = job.get("status").asString();
			if (status.equals("succeeded") || status.equals("failed") || status.equals("canceled")) {
				return job;
			}
			sleep(50);
		}
		throw new AssertionError("job " + jobId + " did not finish in time");
	}

	/** Waits (up to two minutes) until the pipeline has ended, and answers it. */
	protected tools.jackson.databind.JsonNode awaitPipeline(TestUser user, UUID id) {
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
		while (System.nanoTime() < deadline) {
			tools.jackson.databind.JsonNode pipeline = http.get("/pipelines/" + id, user.token()).assertStatus(200).json();
			if (!pipeline.get("status").asString().equals("running")) {
				return pipeline;
			}
			sleep(100);
		}
		throw new AssertionError("pipeline " + id + " did not finish");
	}

	protected long balance(UUID workspaceId) {
		return db.sql("SELECT balance FROM credit_accounts WHERE workspace_id = :w").param("w", workspaceId)
			.query(Long.class).single();
	}

	/** The ledger invariant: the balance equals the sum of the ledger's deltas. */
	protected long ledgerSum(UUID workspaceId) {
		return db.sql("SELECT coalesce(sum(delta), 0) FROM credit_ledger WHERE workspace_id = :w").param("w", workspaceId)
			.query(Long.class).single();
	}

	protected static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public record TestUser(String token, UUID userId, UUID workspaceId, String email) {
	}

}
