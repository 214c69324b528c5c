package dev.phork.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.phork.ApiTest;
import dev.phork.ScriptedProvider;
import dev.phork.identity.Caller;
import dev.phork.jobs.JobService;
import dev.phork.jobs.JobService.PipelineJob;
import dev.phork.jobs.JobType;
import dev.phork.webhooks.WebhookReceiver.Answer;
import dev.phork.webhooks.WebhookReceiver.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks end to end: real changes over the API, the outbox, this server's dispatcher, and a
 * receiver on loopback that checks every delivery with the reference Standard Webhooks library.
 */
class WebhookTest extends ApiTest {

	private static WebhookReceiver receiver;

	@Autowired
	JobService jobs;

	@BeforeAll
	static void startReceiver() throws Exception {
		receiver = new WebhookReceiver();
	}

	@AfterAll
	static void stopReceiver() {
		receiver.close();
	}

	record Endpoint(UUID id, String name, String secret) {
	}

	private Endpoint endpoint(TestUser user, String events) {
		String name = "r-" + UUID.randomUUID();
		JsonNode created = http.post("/workspaces/" + user.workspaceId() + "/webhooks", user.token(),
				"{\"url\":\"" + receiver.url(name) + "\",\"events\":" + events + ",\"description\":\"tests\"}")
			.assertStatus(201)
			.json();
		assertThat(created.get("secret").asString()).startsWith("whsec_");
		assertThat(created.get("enabled").asBoolean()).isTrue();
		return new Endpoint(UUID.fromString(created.get("id").asString()), name, created.get("secret").asString());
	}

	private String path(TestUser user, Endpoint endpoint) {
		return "/workspaces/" + user.workspaceId() + "/webhooks/" + endpoint.id();
	}

	private List<JsonNode> deliveries(TestUser user, Endpoint endpoint) {
		List<JsonNode> items = new ArrayList<>();
		http.get(path(user, endpoint) + "/deliveries", user.token()).assertStatus(200).json().get("items").forEach(items::add);
		return items;
	}

	private JsonNode awaitDeliveries(TestUser user, Endpoint endpoint, String... statusesNewestFirst) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		List<String> expected = List.of(statusesNewestFirst);
		List<String> seen = List.of();
		while (System.nanoTime() < deadline) {
			List<JsonNode> items = deliveries(user, endpoint);
			seen = items.stream().map(item -> item.get("status").asString()).toList();
			if (seen.equals(expected)) {
				return http.get(path(user, endpoint) + "/deliveries", user.token()).json();
			}
			sleep(50);
		}
		throw new AssertionError("deliveries " + seen + ", expected " + expected);
	}

	private static JsonNode body(Delivery delivery) {
		return new tools.jackson.databind.json.JsonMapper().readTree(delivery.body());
	}

	@Test
	void everyEventTypeArrivesOnceWithAValidSignature() throws Exception {
		TestUser owner = register();
		Endpoint all = endpoint(owner, "[\"*\"]");
		UUID project = createProject(owner, "hooked", "public");

		commit(owner, project, "first scenes", "[{\"prompt\":\"a lighthouse at dusk\"}]");
		UUID succeeded = submit(owner, "gen-image", "{\"workspaceId\":\"" + owner.workspaceId()
				+ "\",\"prompt\":\"a secret prompt\",\"provider\":\"solid\"}").assertStatus(201).uuid("id");
		UUID failed = submit(owner, "gen-image", "{\"workspaceId\":\"" + owner.workspaceId() + "\",\"prompt\":\"broken:"
				+ UUID.randomUUID() + "\",\"provider\":\"scripted\"}").assertStatus(201).uuid("id");
		String parked = UUID.randomUUID().toString();
		UUID canceled = submit(owner, "gen-image", "{\"workspaceId\":\"" + owner.workspaceId() + "\",\"prompt\":\"park:"
				+ parked + "\",\"provider\":\"scripted\"}").assertStatus(201).uuid("id");
		http.post("/jobs/" + canceled + "/cancel", owner.token(), null).assertStatus(200);
		ScriptedProvider.release(parked);
		for (UUID job : List.of(succeeded, failed, canceled)) {
			awaitJob(owner, job);
		}

		TestUser stranger = register();
		UUID fork = fork(stranger, project);

		JsonNode started = http.post("/projects/" + project + "/generate", owner.token(),
				"{\"logline\":\"A sailor walks the harbor at night.\",\"sceneCount\":1}").assertStatus(202).json();
		UUID pipeline = UUID.fromString(started.get("pipelineId").asString());
		assertThat(awaitPipeline(owner, pipeline).get("status").asString()).isEqualTo("succeeded");

		UUID failingPipeline = failingPipeline(owner, project);
		http.post(path(owner, all) + "/test", owner.token(), null).assertStatus(202);

		Set<String> expected = Set.of("commit.created", "job.succeeded", "job.failed", "job.canceled", "credits.low",
				"project.forked", "pipeline.succeeded", "version.created", "pipeline.failed", "webhook.test");
		List<Delivery> received = receiver.await(all.name(), Duration.ofSeconds(60),
				list -> list.stream().map(d -> body(d).get("type").asString()).collect(Collectors.toSet()).containsAll(expected)
						&& list.stream().anyMatch(d -> body(d).get("type").asString().equals("pipeline.failed")));
		sleep(500);
		received = receiver.received(all.name());

		Set<String> ids = new HashSet<>();
		for (Delivery delivery : received) {
			delivery.verify(all.secret());
			assertThat(ids.add(delivery.header("webhook-id"))).as("each event arrives once").isTrue();
			JsonNode event = body(delivery);
			assertThat(event.get("id").asString()).isEqualTo(delivery.header("webhook-id"));
			assertThat(event.get("workspaceId").asString()).isEqualTo(owner.workspaceId().toString());
			assertThat(Instant.parse(event.get("timestamp").asString())).isBefore(Instant.now());
			assertThat(delivery.header("Content-Type")).isEqualTo("application/json");
			assertThat(delivery.header("User-Agent")).contains("Phork");
			assertThat(delivery.body()).doesNotContain("a secret prompt").doesNotContain("lighthouse").doesNotContain("sailor");
		}
		Map<String, List<JsonNode>> byType = received.stream()
			.map(WebhookTest::body)
			.collect(Collectors.groupingBy(event -> event.get("type").asString()));
		assertThat(byType.keySet()).containsAll(expected);
		assertThat(byType.get("credits.low")).hasSize(1);
		assertThat(byType.get("credits.low").getFirst().get("data").get("threshold").asLong()).isEqualTo(999);
		assertThat(byType.get("job.succeeded")).filteredOn(e -> e.get("data").get("id").asString().equals(succeeded.toString()))
			.singleElement()
			.satisfies(event -> {
				JsonNode data = event.get("data");
				assertThat(data.get("status").asString()).isEqualTo("succeeded");
				assertThat(data.has("request")).isFalse();
				assertThat(data.get("links").get("result").asString()).isEqualTo("/assets/" + data.get("resultAssetId").asString());
				JsonNode shown = http.get("/jobs/" + succeeded, owner.token()).json();
				for (String field : List.of("id", "type", "status", "cost", "resultAssetId", "attempts", "finishedAt")) {
					assertThat(data.get(field)).as(field).isEqualTo(shown.get(field));
				}
			});
		assertThat(byType.get("job.failed")).anyMatch(e -> e.get("data").get("id").asString().equals(failed.toString()));
		assertThat(byType.get("job.canceled")).singleElement()
			.satisfies(e -> assertThat(e.get("data").get("id").asString()).isEqualTo(canceled.toString()));
		JsonNode forked = byType.get("project.forked").getFirst().get("data");
		assertThat(forked.get("projectId").asString()).isEqualTo(project.toString());
		// The stranger's fork is private and in another workspace: not named.
		assertThat(forked.get("forkId").isNull()).isTrue();
		assertThat(received.toString()).doesNotContain(fork.toString());
		assertThat(byType.get("pipeline.succeeded")).singleElement()
			.satisfies(e -> assertThat(e.get("data").get("pipelineId").asString()).isEqualTo(pipeline.toString()));
		assertThat(byType.get("pipeline.failed")).singleElement()
			.satisfies(e -> assertThat(e.get("data").get("pipelineId").asString()).isEqualTo(failingPipeline.toString()));
		JsonNode version = byType.get("version.created").getFirst().get("data");
		assertThat(http.get("/projects/" + project + "/versions", owner.token()).json().get("items").get(0).get("id").asString())
			.isEqualTo(version.get("versionId").asString());
		// The outbox holds exactly what was delivered, each delivery succeeded once.
		assertThat(db.sql("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = :e AND status = 'succeeded'")
			.param("e", all.id()).query(Long.class).single()).isEqualTo(received.size());
	}

	/** A pipeline whose first job fails for good (a provider refusal), as JobDependenciesTest makes one. */
	private UUID failingPipeline(TestUser user, UUID project) {
		UUID id = UUID.randomUUID();
		db.sql("""
				INSERT INTO pipelines (id, project_id, workspace_id, kind, base_commit_id, storyboard, steps, estimate, created_by)
				SELECT :id, p.id, p.workspace_id, 'regenerate', p.head_commit_id, '{"scenes":[]}', '[]', 0, :user
				FROM projects p WHERE p.id = :project""")
			.param("id", id).param("project", project).param("user", user.userId()).update();
		jobs.submitAll(new Caller(user.userId()), user.workspaceId(), project, id, List.of(new PipelineJob(UUID.randomUUID(),
				JobType.GEN_IMAGE, Map.of("workspaceId", user.workspaceId().toString(), "projectId", project.toString(),
						"prompt", "broken:" + UUID.randomUUID(), "provider", "scripted"), List.of())));
		return id;
	}

	@Test
	void aReceiverFailingTwiceGetsThreeAttemptsWithOneWebhookId() throws Exception {
		TestUser owner = register();
		Endpoint endpoint = endpoint(owner, "[\"commit.created\"]");
		receiver.script(endpoint.name(), Answer.status(500), Answer.status(500));
		UUID project = createProject(owner, "flaky receiver", "private");
		commit(owner, project, "one", "[]");

		List<Delivery> attempts = receiver.await(endpoint.name(), 3);
		assertThat(attempts).hasSize(3);
		assertThat(attempts.stream().map(d -> d.header("webhook-id")).distinct()).hasSize(1);
		for (Delivery attempt : attempts) {
			attempt.verify(endpoint.secret());
		}
		JsonNode page = awaitDeliveries(owner, endpoint, "succeeded", "failed", "failed");
		JsonNode newest = page.get("items").get(0);
		assertThat(newest.get("attempt").asInt()).isEqualTo(3);
		assertThat(newest.get("responseStatus").asInt()).isEqualTo(200);
		assertThat(newest.get("eventType").asString()).isEqualTo("commit.created");
		JsonNode first = page.get("items").get(2);
		assertThat(first.get("attempt").asInt()).isEqualTo(1);
		assertThat(first.get("responseStatus").asInt()).isEqualTo(500);
		assertThat(first.get("error").asString()).isEqualTo("HTTP 500");
		assertThat(first.get("nextAttemptAt").isNull()).isTrue();
		assertThat(page.get("items").findValuesAsString("eventId").stream().distinct()).hasSize(1);
	}

	@Test
	void retryAfterOnA503IsHonoured() throws Exception {
		TestUser owner = register();
		Endpoint endpoint = endpoint(owner, "[\"*\"]");
		receiver.script(endpoint.name(), Answer.status(503).with("Retry-After", "2"));
		http.post(path(owner, endpoint) + "/test", owner.token(), null).assertStatus(202);
		List<Delivery> attempts = receiver.await(endpoint.name(), 2);
		// The schedule says 200 ms; the receiver asked for 2 s.
		assertThat(Duration.ofNanos(attempts.get(1).receivedNanos() - attempts.get(0).receivedNanos()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(1900));
		awaitDeliveries(owner, endpoint, "succeeded", "failed");
	}

	@Test
	void goneDisablesTheEndpointAtOnceWithANoticeInItsDeliveries() throws Exception {
		TestUser owner = register();
		Endpoint endpoint = endpoint(owner, "[\"commit.created\"]");
		receiver.script(endpoint.name(), Answer.status(410));
		UUID project = createProject(owner, "gone", "private");
		commit(owner, project, "one", "[]");
		receiver.await(endpoint.name(), 1);

		JsonNode page = awaitDeliveries(owner, endpoint, "gave_up", "gave_up");
		JsonNode notice = page.get("items").get(0);
		assertThat(notice.get("eventType").asString()).isEqualTo("webhook.disabled");
		assertThat(notice.get("attempt").asInt()).isZero();
		assertThat(notice.get("error").asString()).contains("410");
		assertThat(page.get("items").get(1).get("responseStatus").asInt()).isEqualTo(410);
		JsonNode shown = http.get(path(owner, endpoint), owner.token()).assertStatus(200).json();
		assertThat(shown.get("enabled").asBoolean()).isFalse();
		assertThat(shown.get("disabledReason").asString()).contains("410");
		assertThat(shown.has("secret")).isFalse();

		commit(owner, project, "two", "[]");
		http.post(path(owner, endpoint) + "/test", owner.token(), null).assertProblem(409, "webhook_disabled");
		sleep(800);
		assertThat(receiver.received(endpoint.name())).hasSize(1);

		// Enabled again, it receives what comes next.
		http.patch(path(owner, endpoint), owner.token(), "{\"enabled\":true}").assertStatus(200);
		commit(owner, project, "three", "[]");
		receiver.await(endpoint.name(), 2);
	}

	@Test
	void anEndpointFailingLongerThanTheDisableAfterPeriodIsDisabled() throws Exception {
		TestUser owner = register();
		Endpoint endpoint = endpoint(owner, "[\"*\"]");
		receiver.script(endpoint.name(), Answer.status(500));
		db.sql("UPDATE webhook_endpoints SET failing_since = now() - interval '5 days 1 minute' WHERE id = :id")
			.param("id", endpoint.id()).update();
		http.post(path(owner, endpoint) + "/test", owner.token(), null).assertStatus(202);
		JsonNode page = awaitDeliveries(owner, endpoint, "gave_up", "gave_up");
		assertThat(page.get("items").get(0).get("eventType").asString()).isEqualTo("webhook.disabled");
		assertThat(page.get("items").get(0).get("error").asString()).contains("120 hours");
		assertThat(http.get(path(owner, endpoint), owner.token()).json().get("enabled").asBoolean()).isFalse();
		assertThat(receiver.received(endpoint.name())).hasSize(1);
	}

	@Test
	void aReceiverSlowerThanTheTimeoutIsAFailure() throws Exception {
		TestUser owner = register();
		Endpoint endpoint = endpoint(owner, "[\"*\"]");
		receiver.script(endpoint.name(), Answer.slow(3500));
		http.post(path(owner, endpoint) + "/test", owner.token(), null).assertStatus(202);
		JsonNode page = awaitDeliveries(owner, endpoint, "succeeded", "failed");
		JsonNode slow = page.get("items").get(1);
		assertThat(slow.get("error").asString()).contains("timed out");
		assertThat(slow.get("responseStatus").isNull()).isTrue();
		assertThat(slow.get("durationMs").asInt()).isBetween(1900, 3400);
		List<Delivery> attempts = receiver.received(endpoint.name());
		assertThat(attempts).hasSize(2);
		assertThat(attempts.get(0).header("webhook-id")).isEqualTo(attempts.get(1).header("webhook-id"));
	}

	@Test
	void aRotatedSecretSignsWithOldAndNewDuringTheOverlap() throws Exception {
		TestUser owner = register();
		Endpoint endpoint = endpoint(owner, "[\"*\"]");
		JsonNode rotated = http.post(path(owner, endpoint) + "/rotate-secret", owner.token(), null).assertStatus(200).json();
		String fresh = rotated.get("secret").asString();
		assertThat(fresh).startsWith("whsec_").isNotEqualTo(endpoint.secret());
		http.post(path(owner, endpoint) + "/test", owner.token(), null).assertStatus(202);
		Delivery delivery = receiver.await(endpoint.name(), 1).getFirst();
		assertThat(delivery.header("webhook-signature").split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
		assertThatCode(() -> delivery.verify(endpoint.secret())).doesNotThrowAnyException();
		assertThatCode(() -> delivery.verify(fresh)).doesNotThrowAnyException();
		assertThatThrownBy(() -> delivery.verify(WebhookSigner.newSecret())).isInstanceOf(WebhookVerificationException.class);

		// Once the overlap is over, only the new secret signs.
		db.sql("UPDATE webhook_endpoints SET previous_expires_at = now() - interval '1 second' WHERE id = :id")
			.param("id", endpoint.id()).update();
		http.post(path(owner, endpoint) + "/test", owner.token(), null).assertStatus(202);
		Delivery later = receiver.await(endpoint.name(), 2).get(1);
		assertThat(later.header("webhook-signature").split(" ")).hasSize(1);
		assertThatCode(() -> later.verify(fresh)).doesNotThrowAnyException();
		assertThatThrownBy(() -> later.verify(endpoint.secret())).isInstanceOf(WebhookVerificationException.class);
	}

	@Test
	void retryingADeliverySendsTheSameEventAgainNow() throws Exception {
		TestUser owner = register();
		Endpoint endpoint = endpoint(owner, "[\"*\"]");
		JsonNode test = http.post(path(owner, endpoint) + "/test", owner.token(), null).assertStatus(202).json();
		assertThat(test.get("eventType").asString()).isEqualTo("webhook.test");
		awaitDeliveries(owner, endpoint, "succeeded");
		JsonNode retried = http.post(path(owner, endpoint) + "/deliveries/" + test.get("id").asString() + "/retry",
				owner.token(), null).assertStatus(202).json();
		assertThat(retried.get("attempt").asInt()).isEqualTo(2);
		assertThat(retried.get("eventId").asString()).isEqualTo(test.get("eventId").asString());
		List<Delivery> both = receiver.await(endpoint.name(), 2);
		assertThat(both.get(1).header("webhook-id")).isEqualTo(both.get(0).header("webhook-id"))
			.isEqualTo(test.get("eventId").asString());
		awaitDeliveries(owner, endpoint, "succeeded", "succeeded");
	}

	@Test
	void endpointsAreManagedByEditorsReadByMembersAndHiddenFromStrangers() {
		TestUser owner = register();
		TestUser viewer = register();
		TestUser stranger = register();
		addMember(owner, owner.workspaceId(), viewer, "viewer");
		Endpoint endpoint = endpoint(owner, "[\"job.succeeded\",\"credits.low\"]");
		String base = "/workspaces/" + owner.workspaceId() + "/webhooks";
		String create = "{\"url\":\"" + receiver.url("x") + "\",\"events\":[\"*\"]}";

		http.get(base, stranger.token()).assertStatus(404);
		http.get(path(owner, endpoint), stranger.token()).assertStatus(404);
		http.get(path(owner, endpoint) + "/deliveries", stranger.token()).assertStatus(404);
		http.post(base, stranger.token(), create).assertStatus(404);
		http.patch(path(owner, endpoint), stranger.token(), "{\"enabled\":false}").assertStatus(404);
		http.post(path(owner, endpoint) + "/rotate-secret", stranger.token(), null).assertStatus(404);
		http.post(path(owner, endpoint) + "/test", stranger.token(), null).assertStatus(404);
		http.delete(path(owner, endpoint), stranger.token()).assertStatus(404);
		// The stranger's own workspace does not reach it either.
		http.get("/workspaces/" + stranger.workspaceId() + "/webhooks/" + endpoint.id(), stranger.token())
			.assertProblem(404, "webhook_not_found");

		JsonNode listed = http.get(base, viewer.token()).assertStatus(200).json();
		assertThat(listed.get("items")).hasSize(1);
		assertThat(listed.get("items").get(0).has("secret")).isFalse();
		assertThat(listed.get("items").get(0).get("events").toString()).isEqualTo("[\"job.succeeded\",\"credits.low\"]");
		http.post(base, viewer.token(), create).assertProblem(403, "insufficient_role");
		http.post(path(owner, endpoint) + "/rotate-secret", viewer.token(), null).assertProblem(403, "insufficient_role");

		http.post(base, owner.token(), "{\"url\":\"" + receiver.url("x") + "\",\"events\":[\"job.exploded\"]}")
			.assertProblem(400, "unknown_event_type");
		http.post(base, owner.token(), "{\"url\":\"ftp://example.com/hook\",\"events\":[\"*\"]}")
			.assertProblem(400, "invalid_webhook_url");
		http.post(base, owner.token(), "{\"url\":\"" + receiver.url("x") + "\",\"events\":[]}").assertStatus(400);

		JsonNode patched = http.patch(path(owner, endpoint), owner.token(),
				"{\"events\":[\"*\"],\"description\":\"all of it\"}").assertStatus(200).json();
		assertThat(patched.get("events").toString()).isEqualTo("[\"*\"]");
		assertThat(patched.get("description").asString()).isEqualTo("all of it");
		assertThat(db.sql("SELECT count(*) FROM webhook_endpoints WHERE workspace_id = :w")
			.param("w", owner.workspaceId()).query(Long.class).single()).isEqualTo(1);
		http.delete(path(owner, endpoint), owner.token()).assertStatus(204);
		http.get(path(owner, endpoint), owner.token()).assertProblem(404, "webhook_not_found");
	}

	@Test
	void eventsOfWorkspacesWithoutSubscribersAreNotStored() {
		TestUser owner = register();
		Endpoint commitsOnly = endpoint(owner, "[\"commit.created\"]");
		long before = db.sql("SELECT count(*) FROM webhook_events WHERE workspace_id = :w")
			.param("w", owner.workspaceId()).query(Long.class).single();
		UUID job = submit(owner, "gen-image", "{\"workspaceId\":\"" + owner.workspaceId()
				+ "\",\"prompt\":\"quiet\",\"provider\":\"solid\"}").assertStatus(201).uuid("id");
		awaitJob(owner, job);
		assertThat(db.sql("SELECT count(*) FROM webhook_events WHERE workspace_id = :w")
			.param("w", owner.workspaceId()).query(Long.class).single()).isEqualTo(before);
		assertThat(deliveries(owner, commitsOnly)).isEmpty();
	}

}
