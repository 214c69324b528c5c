package dev.phork.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import dev.phork.ScriptedProvider;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Seed flows [5] credits, [6] jobs and idempotency, [8] job list; Fix A (keys per workspace), Fix B
 * (concurrent debits), the overspend race and seed 003's quota race, all over HTTP and checked
 * against the database.
 */
class JobSubmissionTest extends ApiTest {

	@Test
	void jobIsIdempotentAndChargedOnce() {
		TestUser user = register();
		assertThat(http.get("/credits/balance?workspaceId=" + user.workspaceId(), user.token()).json().get("balance").asLong())
			.isEqualTo(1000);
		String body = "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"park:idem\",\"provider\":\"scripted\"}";
		Http.Response first = http.send("POST", "/jobs/gen-video", user.token(), body,
				new String[] { "Idempotency-Key", "gen-video-1" }).assertStatus(201);
		JsonNode job = first.json();
		assertThat(job.get("status").asString()).isIn("queued", "running");
		assertThat(job.get("type").asString()).isEqualTo("gen_video");
		assertThat(job.get("cost").asLong()).isEqualTo(25);
		assertThat(job.get("idempotencyKey").asString()).isEqualTo("gen-video-1");
		assertThat(job.get("request").get("durationMs").asInt()).isEqualTo(4500);

		Http.Response replay = http.send("POST", "/jobs/gen-video", user.token(), body,
				new String[] { "Idempotency-Key", "gen-video-1" }).assertStatus(200);
		assertThat(replay.uuid("id")).isEqualTo(first.uuid("id"));
		Http.Response bodyKey = http.post("/jobs/gen-video", user.token(),
				body.replace("}", ",\"idempotencyKey\":\"gen-video-1\"}")).assertStatus(200);
		assertThat(bodyKey.uuid("id")).isEqualTo(first.uuid("id"));
		http.send("POST", "/jobs/gen-video", user.token(), body.replace("park:idem", "something else"),
				new String[] { "Idempotency-Key", "gen-video-1" }).assertProblem(422, "idempotency_key_reused");

		assertThat(balance(user.workspaceId())).isEqualTo(975).isEqualTo(ledgerSum(user.workspaceId()));
		assertThat(db.sql("SELECT count(*) FROM credit_ledger WHERE job_id = :j").param("j", first.uuid("id"))
			.query(Long.class).single()).isEqualTo(1);

		Http.Response list = http.get("/jobs?workspaceId=" + user.workspaceId(), user.token()).assertStatus(200);
		assertThat(list.json().get("items")).hasSize(1);
		http.get("/jobs?workspaceId=" + user.workspaceId() + "&type=gen_audio", user.token()).assertStatus(200);
		assertThat(http.get("/jobs?workspaceId=" + user.workspaceId() + "&type=gen_audio", user.token()).json().get("items"))
			.isEmpty();
		http.get("/jobs?workspaceId=" + user.workspaceId() + "&status=bogus", user.token()).assertProblem(400, "invalid_parameter");
		ScriptedProvider.release("idem");
		JsonNode done = awaitJob(user, first.uuid("id"));
		assertThat(done.get("status").asString()).isEqualTo("succeeded");
		assertThat(done.get("resultAssetId").isNull()).isFalse();
		assertThat(http.get("/jobs?workspaceId=" + user.workspaceId() + "&status=succeeded", user.token()).json().get("items"))
			.hasSize(1);
	}

	@Test
	void idempotencyKeysArePerWorkspace() {
		TestUser a = register();
		TestUser b = register();
		Http.Response inA = http.send("POST", "/jobs/gen-image", a.token(), "{\"workspaceId\":\"" + a.workspaceId()
				+ "\",\"prompt\":\"ok:a\",\"provider\":\"scripted\"}", new String[] { "Idempotency-Key", "shared" })
			.assertStatus(201);
		Http.Response inB = http.send("POST", "/jobs/gen-image", b.token(), "{\"workspaceId\":\"" + b.workspaceId()
				+ "\",\"prompt\":\"ok:a\",\"provider\":\"scripted\"}", new String[] { "Idempotency-Key", "shared" })
			.assertStatus(201);
		assertThat(inA.uuid("id")).isNotEqualTo(inB.uuid("id"));
		assertThat(inA.uuid("workspaceId")).isEqualTo(a.workspaceId());
		assertThat(inB.uuid("workspaceId")).isEqualTo(b.workspaceId());
		assertThat(balance(a.workspaceId())).isEqualTo(997);
		assertThat(balance(b.workspaceId())).isEqualTo(997);
		// A stranger's submission into A's workspace is refused before the idempotency lookup.
		http.send("POST", "/jobs/gen-image", b.token(), "{\"workspaceId\":\"" + a.workspaceId()
				+ "\",\"prompt\":\"ok:a\",\"provider\":\"scripted\"}", new String[] { "Idempotency-Key", "shared" })
			.assertProblem(404, "workspace_not_found");
		http.get("/jobs/" + inA.uuid("id"), b.token()).assertProblem(404, "job_not_found");
	}

	@Test
	void twentyConcurrentAudioJobsDebitExactly() throws Exception {
		TestUser user = register();
		List<Http.Response> responses = concurrently(20, i -> submit(user, "gen-audio", "{\"workspaceId\":\""
				+ user.workspaceId() + "\",\"text\":\"ok:audio-" + i + "\",\"provider\":\"scripted\"}"));
		assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
		assertThat(balance(user.workspaceId())).isEqualTo(900).isEqualTo(ledgerSum(user.workspaceId()));
		assertThat(db.sql("SELECT count(*) FROM credit_ledger WHERE workspace_id = :w AND reason = 'job_debit'")
			.param("w", user.workspaceId()).query(Long.class).single()).isEqualTo(20);
		assertThat(db.sql("SELECT -sum(delta) FROM credit_ledger WHERE workspace_id = :w AND reason = 'job_debit'")
			.param("w", user.workspaceId()).query(Long.class).single()).isEqualTo(100);
	}

	@Test
	void concurrentJobsNeverOverspend() throws Exception {
		TestUser user = register();
		List<Http.Response> responses = concurrently(50, i -> submit(user, "gen-video", "{\"workspaceId\":\""
				+ user.workspaceId() + "\",\"prompt\":\"park:overspend\",\"provider\":\"scripted\"}"));
		long accepted = responses.stream().filter(r -> r.status() == 201).count();
		long refused = responses.stream().filter(r -> r.status() == 402).count();
		assertThat(accepted + refused).isEqualTo(50);
		assertThat(accepted).isEqualTo(40);
		responses.stream().filter(r -> r.status() == 402).forEach(r -> r.assertProblem(402, "insufficient_credits"));
		assertThat(balance(user.workspaceId())).isZero().isEqualTo(ledgerSum(user.workspaceId()));
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single()).isEqualTo(40);
		ScriptedProvider.release("overspend");
	}

	/**
	 * Submissions of many workspaces share batches: each workspace still gets exact arithmetic, its
	 * own keys (the same key strings in every workspace), one job per key however often it is sent.
	 */
	@Test
	void manyWorkspacesSubmittingAtOnceStayExactEach() throws Exception {
		int workspaces = 8;
		int keys = 45;
		List<TestUser> users = new ArrayList<>();
		for (int w = 0; w < workspaces; w++) {
			users.add(register());
		}
		String tag = "spread-" + UUID.randomUUID();
		// Released whatever happens: parked jobs left behind would hold every worker slot of the shared server.
		try {
			List<Http.Response> responses = concurrently(workspaces * keys * 2, i -> {
				TestUser user = users.get(i % workspaces);
				return http.send("POST", "/jobs/gen-video", user.token(), "{\"workspaceId\":\"" + user.workspaceId()
						+ "\",\"prompt\":\"park:" + tag + "\",\"provider\":\"scripted\"}",
						new String[] { "Idempotency-Key", "key-" + (i / workspaces) % keys });
			});
			java.util.Set<UUID> allJobs = new java.util.HashSet<>();
			for (int w = 0; w < workspaces; w++) {
				TestUser user = users.get(w);
				int accepted = 0;
				for (int k = 0; k < keys; k++) {
					List<Http.Response> sent = List.of(responses.get(k * workspaces + w),
							responses.get((keys + k) * workspaces + w));
					if (sent.stream().allMatch(r -> r.status() == 402)) {
						continue;
					}
					assertThat(sent).extracting(Http.Response::status).containsExactlyInAnyOrder(201, 200);
					assertThat(sent.get(0).uuid("id")).isEqualTo(sent.get(1).uuid("id"));
					allJobs.add(sent.get(0).uuid("id"));
					accepted++;
				}
				assertThat(accepted).isEqualTo(40);
				assertThat(balance(user.workspaceId())).isZero().isEqualTo(ledgerSum(user.workspaceId()));
				assertThat(db.sql("SELECT count(*) FROM credit_ledger WHERE workspace_id = :w AND reason = 'job_debit'")
					.param("w", user.workspaceId()).query(Long.class).single()).isEqualTo(40);
				assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w").param("w", user.workspaceId())
					.query(Long.class).single()).isEqualTo(40);
			}
			assertThat(allJobs).hasSize(workspaces * 40);
		}
		finally {
			ScriptedProvider.release(tag);
		}
	}

	/** Membership is checked in the batch, first: viewers and strangers are refused and leave nothing. */
	@Test
	void submittersWithoutTheEditorRoleAreRefusedAndLeaveNothing() throws Exception {
		TestUser owner = register();
		TestUser viewer = register();
		TestUser stranger = register();
		addMember(owner, owner.workspaceId(), viewer, "viewer");
		String tag = "roles-" + UUID.randomUUID();
		List<TestUser> senders = List.of(owner, viewer, stranger);
		List<Http.Response> responses = concurrently(30, i -> submit(senders.get(i % 3), "gen-image",
				"{\"workspaceId\":\"" + owner.workspaceId() + "\",\"prompt\":\"park:" + tag
						+ "\",\"provider\":\"scripted\"}"));
		for (int i = 0; i < responses.size(); i++) {
			switch (i % 3) {
				case 0 -> responses.get(i).assertStatus(201);
				case 1 -> responses.get(i).assertProblem(403, "insufficient_role");
				default -> {
					responses.get(i).assertProblem(404, "workspace_not_found");
					assertThat(responses.get(i).body()).doesNotContain("park:");
				}
			}
		}
		String blocked = "{\"workspaceId\":\"" + owner.workspaceId() + "\",\"prompt\":\"A snuff film\"}";
		submit(stranger, "gen-video", blocked).assertProblem(404, "workspace_not_found");
		submit(viewer, "gen-video", blocked).assertProblem(403, "insufficient_role");
		assertThat(db.sql("SELECT count(*) FROM safety_events WHERE workspace_id = :w").param("w", owner.workspaceId())
			.query(Long.class).single()).isZero();
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w").param("w", owner.workspaceId())
			.query(Long.class).single()).isEqualTo(10);
		assertThat(db.sql("SELECT used FROM job_quota WHERE workspace_id = :w").param("w", owner.workspaceId())
			.query(Integer.class).single()).isEqualTo(10);
		assertThat(balance(owner.workspaceId())).isEqualTo(1000 - 10 * 3).isEqualTo(ledgerSum(owner.workspaceId()));
		assertThat(balance(stranger.workspaceId())).isEqualTo(1000);
		ScriptedProvider.release(tag);
	}

	/**
	 * A batch holds submissions of several workspaces; when the database refuses one workspace's
	 * jobs, only those fail and the others in the same batches are committed.
	 */
	@Test
	void aSubmissionTheDatabaseRefusesFailsOnlyItself() throws Exception {
		TestUser victim = register();
		TestUser refused = register();
		// Four submission lanes, chosen by workspace: put both workspaces in the same lane.
		while (Math.floorMod(refused.workspaceId().hashCode(), 4) != Math.floorMod(victim.workspaceId().hashCode(), 4)) {
			refused = register();
		}
		TestUser broken = refused;
		db.sql("CREATE FUNCTION test_refuse_jobs() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.workspace_id = '"
				+ broken.workspaceId() + "' THEN RAISE EXCEPTION 'refused by a test'; END IF; RETURN NEW; END $$").update();
		db.sql("CREATE TRIGGER test_refuse_jobs BEFORE INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION test_refuse_jobs()")
			.update();
		try {
			List<Http.Response> responses = concurrently(40, i -> submit(i % 2 == 0 ? victim : broken, "gen-image",
					"{\"workspaceId\":\"" + (i % 2 == 0 ? victim : broken).workspaceId()
							+ "\",\"prompt\":\"ok:lane\",\"provider\":\"scripted\"}"));
			for (int i = 0; i < responses.size(); i++) {
				if (i % 2 == 0) {
					responses.get(i).assertStatus(201);
				}
				else {
					assertThat(responses.get(i).status()).isEqualTo(500);
					assertThat(responses.get(i).body()).doesNotContain("refused by a test", "Exception");
				}
			}
		}
		finally {
			db.sql("DROP TRIGGER test_refuse_jobs ON jobs").update();
			db.sql("DROP FUNCTION test_refuse_jobs()").update();
		}
		assertThat(balance(victim.workspaceId())).isEqualTo(1000 - 20 * 3).isEqualTo(ledgerSum(victim.workspaceId()));
		assertThat(balance(broken.workspaceId())).isEqualTo(1000).isEqualTo(ledgerSum(broken.workspaceId()));
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w").param("w", broken.workspaceId())
			.query(Long.class).single()).isZero();
	}

	@Test
	void theDailyQuotaHoldsUnderParallelRequests() throws Exception {
		TestUser user = register();
		db.sql("INSERT INTO job_quota (workspace_id, day, used) VALUES (:w, :d, 490)").param("w", user.workspaceId())
			.param("d", LocalDate.now(ZoneOffset.UTC)).update();
		List<Http.Response> responses = concurrently(25, i -> submit(user, "gen-image", "{\"workspaceId\":\""
				+ user.workspaceId() + "\",\"prompt\":\"ok:quota-" + i + "\",\"provider\":\"scripted\"}"));
		List<Http.Response> limited = responses.stream().filter(r -> r.status() == 429).toList();
		assertThat(responses.stream().filter(r -> r.status() == 201)).hasSize(10);
		assertThat(limited).hasSize(15);
		limited.forEach(r -> {
			r.assertProblem(429, "daily_quota_exceeded");
			assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 86_401L);
		});
		assertThat(db.sql("SELECT used FROM job_quota WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Integer.class).single()).isEqualTo(500);
		assertThat(balance(user.workspaceId())).isEqualTo(1000 - 10 * 3).isEqualTo(ledgerSum(user.workspaceId()));
	}

	@Test
	void badJobRequestsAreRefusedAndChargeNothing() {
		TestUser user = register();
		String ws = "\"workspaceId\":\"" + user.workspaceId() + "\"";
		submit(user, "gen-video", "{" + ws + "}").assertProblem(400, "validation_failed");
		submit(user, "gen-video", "{" + ws + ",\"prompt\":\"x\",\"durationMs\":999999}").assertProblem(400, "validation_failed");
		submit(user, "gen-video", "{" + ws + ",\"prompt\":\"x\",\"status\":\"succeeded\"}").assertProblem(400, "validation_failed");
		submit(user, "gen-video", "{" + ws + ",\"prompt\":\"x\",\"provider\":\"nope\"}").assertProblem(400, "unknown_provider");
		submit(user, "animate", "{" + ws + ",\"imageAssetId\":\"" + UUID.randomUUID() + "\"}").assertProblem(404, "asset_not_found");
		UUID project = createProject(user, "empty", "private");
		submit(user, "render", "{" + ws + ",\"projectId\":\"" + project + "\"}").assertProblem(422, "nothing_to_render");
		TestUser other = register();
		UUID foreign = createProject(other, "theirs", "public");
		submit(user, "render", "{" + ws + ",\"projectId\":\"" + foreign + "\"}").assertProblem(422, "project_not_in_workspace");
		http.send("POST", "/jobs/gen-image", user.token(), "{" + ws + ",\"prompt\":\"x\",\"idempotencyKey\":\"a\"}",
				new String[] { "Idempotency-Key", "b" }).assertProblem(400, "idempotency_key_conflict");
		assertThat(balance(user.workspaceId())).isEqualTo(1000);
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single()).isZero();
	}

	private static List<Http.Response> concurrently(int n, java.util.function.IntFunction<Http.Response> call)
			throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Http.Response>> futures = new ArrayList<>();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < n; i++) {
				int index = i;
				futures.add(pool.submit(() -> {
					start.await();
					return call.apply(index);
				}));
			}
			start.countDown();
		}
		List<Http.Response> responses = new ArrayList<>();
		for (Future<Http.Response> future : futures) {
			responses.add(future.get());
		}
		return responses;
	}

}
