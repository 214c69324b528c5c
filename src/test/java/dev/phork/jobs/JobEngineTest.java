package dev.phork.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.ScriptedProvider;
import dev.phork.credits.CreditLedger;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The worker engine: retries, permanent failures, refunds, cancels, the running cap, rescue, resume. */
class JobEngineTest extends ApiTest {

	@Autowired
	CreditLedger credits;

	@Autowired
	TransactionTemplate tx;

	@Test
	void aTransientFailureIsRetriedWithBackoffAndSucceedsOnce() {
		TestUser user = register();
		String prompt = "flaky:2:" + UUID.randomUUID();
		UUID jobId = submit(user, "gen-image", image(user, prompt)).assertStatus(201).uuid("id");
		JsonNode job = awaitJob(user, jobId);
		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		assertThat(job.get("attempts").asInt()).isEqualTo(3);
		assertThat(ScriptedProvider.calls(prompt)).isEqualTo(3);
		assertThat(db.sql("SELECT count(*) FROM assets WHERE job_id = :j").param("j", jobId).query(Long.class).single())
			.isEqualTo(1);
		assertThat(balance(user.workspaceId())).isEqualTo(997).isEqualTo(ledgerSum(user.workspaceId()));
	}

	@Test
	void aPermanentFailureFailsAtOnceAndIsRefundedOnce() {
		TestUser user = register();
		String prompt = "broken:" + UUID.randomUUID();
		UUID jobId = submit(user, "gen-image", image(user, prompt)).assertStatus(201).uuid("id");
		JsonNode job = awaitJob(user, jobId);
		assertThat(job.get("status").asString()).isEqualTo("failed");
		assertThat(job.get("error").asString()).contains("refused");
		assertThat(job.get("attempts").asInt()).isEqualTo(1);
		assertThat(balance(user.workspaceId())).isEqualTo(1000).isEqualTo(ledgerSum(user.workspaceId()));
		assertThat(reasons(jobId)).containsExactlyInAnyOrder("job_debit", "job_refund");
	}

	@Test
	void transientFailuresThatNeverStopFailAfterMaxAttemptsAndRefund() {
		TestUser user = register();
		UUID jobId = submit(user, "gen-image", image(user, "flaky:99:" + UUID.randomUUID())).assertStatus(201).uuid("id");
		JsonNode job = awaitJob(user, jobId);
		assertThat(job.get("status").asString()).isEqualTo("failed");
		assertThat(job.get("attempts").asInt()).isEqualTo(4);
		assertThat(balance(user.workspaceId())).isEqualTo(1000).isEqualTo(ledgerSum(user.workspaceId()));
	}

	@Test
	void refundingThreeTimesRefundsOnce() {
		TestUser user = register();
		String tag = UUID.randomUUID().toString();
		UUID jobId = submit(user, "gen-video", "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"prompt\":\"park:" + tag + "\",\"provider\":\"scripted\"}").uuid("id");
		assertThat(balance(user.workspaceId())).isEqualTo(975);
		List<Boolean> results = List.of(1, 2, 3).stream()
			.map(i -> tx.execute(status -> credits.refund(user.workspaceId(), jobId, 25)))
			.toList();
		assertThat(results).containsExactly(true, false, false);
		assertThat(balance(user.workspaceId())).isEqualTo(1000).isEqualTo(ledgerSum(user.workspaceId()));
		assertThat(db.sql("SELECT count(*) FROM credit_ledger WHERE job_id = :j AND reason = 'job_refund'")
			.param("j", jobId).query(Long.class).single()).isEqualTo(1);
		ScriptedProvider.release(tag);
	}

	@Test
	void cancelRefundsOnceAndRepeatedCancelsAreHarmless() {
		TestUser user = register();
		String tag = UUID.randomUUID().toString();
		UUID jobId = submit(user, "gen-image", image(user, "park:" + tag)).uuid("id");
		JsonNode canceled = http.post("/jobs/" + jobId + "/cancel", user.token(), null).assertStatus(200).json();
		assertThat(canceled.get("status").asString()).isEqualTo("canceled");
		http.post("/jobs/" + jobId + "/cancel", user.token(), null).assertStatus(200);
		http.post("/jobs/" + jobId + "/cancel", user.token(), null).assertStatus(200);
		ScriptedProvider.release(tag);
		sleep(500);
		JsonNode job = http.get("/jobs/" + jobId, user.token()).json();
		assertThat(job.get("status").asString()).isEqualTo("canceled");
		assertThat(job.get("resultAssetId").isNull()).isTrue();
		assertThat(balance(user.workspaceId())).isEqualTo(1000).isEqualTo(ledgerSum(user.workspaceId()));
		assertThat(reasons(jobId)).containsExactlyInAnyOrder("job_debit", "job_refund");
		assertThat(db.sql("SELECT count(*) FROM assets WHERE job_id = :j").param("j", jobId).query(Long.class).single())
			.isZero();
		TestUser stranger = register();
		http.post("/jobs/" + jobId + "/cancel", stranger.token(), null).assertProblem(404, "job_not_found");
	}

	@Test
	void aWorkspaceRunsAtMostFourJobsAtOnceAndTheRestWait() {
		TestUser user = register();
		String tag = UUID.randomUUID().toString();
		for (int i = 0; i < 7; i++) {
			submit(user, "gen-image", image(user, "park:" + tag)).assertStatus(201);
		}
		sleep(1000);
		assertThat(count(user, "running")).isEqualTo(4);
		assertThat(count(user, "queued")).isEqualTo(3);
		ScriptedProvider.release(tag);
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (count(user, "succeeded") < 7 && System.nanoTime() < deadline) {
			assertThat(count(user, "running")).isLessThanOrEqualTo(4);
			sleep(20);
		}
		assertThat(count(user, "succeeded")).isEqualTo(7);
	}

	@Test
	void jobsFinishingTogetherEndOnceEachAndACanceledOneIsDiscarded() {
		TestUser user = register();
		String tag = UUID.randomUUID().toString();
		List<UUID> ids = new java.util.ArrayList<>();
		for (int i = 0; i < 4; i++) {
			ids.add(submit(user, "gen-image", image(user, "park:" + tag)).uuid("id"));
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (count(user, "running") < 4 && System.nanoTime() < deadline) {
			sleep(20);
		}
		assertThat(count(user, "running")).isEqualTo(4);
		http.post("/jobs/" + ids.getFirst() + "/cancel", user.token(), null).assertStatus(200);
		ScriptedProvider.release(tag);
		while (count(user, "succeeded") < 3 && System.nanoTime() < deadline) {
			sleep(20);
		}
		sleep(300);
		assertThat(count(user, "succeeded")).isEqualTo(3);
		assertThat(count(user, "canceled")).isEqualTo(1);
		for (UUID id : ids) {
			long assets = db.sql("SELECT count(*) FROM assets WHERE job_id = :j").param("j", id).query(Long.class).single();
			JsonNode job = http.get("/jobs/" + id, user.token()).json();
			if (id.equals(ids.getFirst())) {
				assertThat(assets).isZero();
				assertThat(job.get("resultAssetId").isNull()).isTrue();
				assertThat(reasons(id)).containsExactlyInAnyOrder("job_debit", "job_refund");
			}
			else {
				assertThat(assets).isEqualTo(1);
				assertThat(job.get("resultAssetId").asString()).isEqualTo(db
					.sql("SELECT id FROM assets WHERE job_id = :j").param("j", id).query(UUID.class).single().toString());
				assertThat(reasons(id)).containsExactly("job_debit");
			}
		}
		assertThat(balance(user.workspaceId())).isEqualTo(1000 - 3 * 3).isEqualTo(ledgerSum(user.workspaceId()));
	}

	@Test
	void aJobWhoseWorkerDiesCompletesOnceAfterItsLeaseExpires() {
		TestUser user = register();
		String prompt = "hang-once:" + UUID.randomUUID();
		UUID jobId = submit(user, "gen-image", image(user, prompt)).uuid("id");
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (ScriptedProvider.calls(prompt) == 0 && System.nanoTime() < deadline) {
			sleep(10);
		}
		// The worker holding the job dies: its lease now belongs to a process that will never renew it.
		db.sql("UPDATE jobs SET lease_owner = 'dead-worker', lease_expires_at = now() + interval '1 second' WHERE id = :j")
			.param("j", jobId).update();
		JsonNode job = awaitJob(user, jobId);
		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		assertThat(job.get("attempts").asInt()).isEqualTo(2);
		assertThat(db.sql("SELECT count(*) FROM assets WHERE job_id = :j").param("j", jobId).query(Long.class).single())
			.isEqualTo(1);
		assertThat(reasons(jobId)).containsExactly("job_debit");
		assertThat(balance(user.workspaceId())).isEqualTo(997).isEqualTo(ledgerSum(user.workspaceId()));
	}

	@Test
	void aRetriedRemoteJobResumesInsteadOfPayingTwice() {
		TestUser user = register();
		String prompt = "remote:" + UUID.randomUUID();
		UUID jobId = submit(user, "gen-image", image(user, prompt)).uuid("id");
		JsonNode job = awaitJob(user, jobId);
		assertThat(job.get("status").asString()).isEqualTo("succeeded");
		assertThat(ScriptedProvider.REMOTE_STARTS.get(prompt).get()).isEqualTo(1);
		assertThat(ScriptedProvider.calls(prompt)).isEqualTo(2);
		assertThat(db.sql("SELECT provider_job_id FROM jobs WHERE id = :j").param("j", jobId).query(String.class).single())
			.startsWith("remote-");
	}

	@Test
	void jobEventsStreamUntilTheJobEnds() throws Exception {
		TestUser user = register();
		String tag = UUID.randomUUID().toString();
		UUID jobId = submit(user, "gen-image", image(user, "park:" + tag)).uuid("id");
		Thread.ofVirtual().start(() -> {
			sleep(400);
			ScriptedProvider.release(tag);
		});
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/jobs/" + jobId + "/events"))
			.header("Authorization", "Bearer " + user.token())
			.timeout(Duration.ofSeconds(30))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
		assertThat(response.body()).contains("event:progress").contains("event:done").contains("\"status\":\"succeeded\"");
	}

	@Test
	void noEndpointLetsAClientSetAStatus() throws IOException {
		TestUser user = register();
		UUID jobId = submit(user, "gen-image", image(user, "ok:" + UUID.randomUUID())).uuid("id");
		awaitJob(user, jobId);
		http.patch("/jobs/" + jobId, user.token(), "{\"status\":\"queued\"}").assertProblem(405, "method_not_allowed");
		http.send("PUT", "/jobs/" + jobId, user.token(), "{\"status\":\"queued\"}", null).assertProblem(405, "method_not_allowed");
		// Even the database refuses to move a finished job.
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> db.sql("UPDATE jobs SET status = 'queued' WHERE id = :j").param("j", jobId).update())
			.hasMessageContaining("cannot move");
	}

	private String image(TestUser user, String prompt) {
		return "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"" + prompt + "\",\"provider\":\"scripted\"}";
	}

	private List<String> reasons(UUID jobId) {
		return db.sql("SELECT reason FROM credit_ledger WHERE job_id = :j ORDER BY id").param("j", jobId)
			.query(String.class).list();
	}

	private long count(TestUser user, String status) {
		return db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w AND status = :s").param("w", user.workspaceId())
			.param("s", status).query(Long.class).single();
	}

}
