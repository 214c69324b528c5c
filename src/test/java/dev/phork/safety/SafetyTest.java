package dev.phork.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Moderation, safety-event retention and erasure of prompt text (seed 000 section F). */
class SafetyTest extends ApiTest {

	@Autowired
	SafetyService safety;

	@Test
	void aBlockedPromptIs422ChargesNothingAndKeepsAShortExcerpt() {
		TestUser user = register();
		String prompt = "A snuff film " + "x".repeat(500);
		submit(user, "gen-video", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"" + prompt + "\"}")
			.assertProblem(422, "prompt_blocked");
		assertThat(balance(user.workspaceId())).isEqualTo(1000);
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single()).isZero();
		String excerpt = db.sql("SELECT excerpt FROM safety_events WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(String.class).single();
		assertThat(excerpt).hasSize(200).startsWith("A snuff film");
		submit(user, "gen-video", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"a snuffbox on a table\","
				+ "\"provider\":\"scripted\"}").assertStatus(201);
	}

	@Test
	void safetyEventsOlderThanTheRetentionAreDeleted() {
		TestUser user = register();
		db.sql("""
				INSERT INTO safety_events (id, workspace_id, user_id, kind, excerpt, reason, created_at)
				VALUES (:id, :w, :u, 'gen_video', 'old', 'test', now() - interval '91 days'),
				       (:id2, :w, :u, 'gen_video', 'recent', 'test', now() - interval '89 days')""")
			.param("id", UUID.randomUUID()).param("id2", UUID.randomUUID()).param("w", user.workspaceId())
			.param("u", user.userId()).update();
		assertThat(safety.deleteExpiredEvents()).isGreaterThanOrEqualTo(1);
		assertThat(db.sql("SELECT excerpt FROM safety_events WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(String.class).list()).containsExactly("recent");
	}

	@Test
	void erasureRemovesPromptTextButKeepsIdsTimesAndCosts() {
		TestUser user = register();
		UUID jobId = submit(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"prompt\":\"ok:my secret idea\",\"provider\":\"scripted\"}").uuid("id");
		JsonNode done = awaitJob(user, jobId);
		UUID assetId = UUID.fromString(done.get("resultAssetId").asString());
		String receipt = http.get("/assets/" + assetId, user.token()).json().get("mintReceipt").asString();

		Http.Response erased = http.delete("/users/me/data", user.token()).assertStatus(200);
		assertThat(erased.json().get("erased").get("jobRequests").asInt()).isEqualTo(1);
		assertThat(erased.json().get("erased").get("assetProvenance").asInt()).isEqualTo(1);

		JsonNode job = http.get("/jobs/" + jobId, user.token()).json();
		assertThat(job.toString()).doesNotContain("my secret idea");
		assertThat(job.get("request").get("erased").asBoolean()).isTrue();
		assertThat(job.get("cost").asLong()).isEqualTo(3);
		assertThat(job.get("createdAt").asString()).isEqualTo(done.get("createdAt").asString());
		JsonNode asset = http.get("/assets/" + assetId, user.token()).json();
		assertThat(asset.toString()).doesNotContain("my secret idea");
		assertThat(asset.get("mintReceipt").asString()).isEqualTo(receipt);
		assertThat(asset.get("cost").asLong()).isEqualTo(3);
		// The receipt still verifies: the asset can still be committed.
		UUID project = createProject(user, "after erasure", "private");
		commit(user, project, "still minted", "[{\"keyframeAssetId\":\"" + assetId + "\"}]");
	}

}
