package dev.phork.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

	@ParameterizedTest
	@ValueSource(strings = { "a snuff  film", "a snuff\u00A0film", "a snuff\u200Bfilm", "a snuff-film", "a snuff\nfilm",
			"a snu\u00ADff film", "a \uFF53\uFF4E\uFF55\uFF46\uFF46 \uFF46\uFF49\uFF4C\uFF4D" })
	void disguisedBlockedTermsAreRefusedAtSubmission(String prompt) {
		TestUser user = register();
		submit(user, "gen-video", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":" + quoted(prompt)
				+ ",\"provider\":\"scripted\"}").assertProblem(422, "prompt_blocked");
		assertThat(balance(user.workspaceId())).isEqualTo(1000);
		assertThat(events(user)).containsExactly("gen_video");
	}

	@Test
	void aGeneratedStoryboardIsScreenedBeforeTheWriterAndInEveryPromptItsJobsWouldSend() {
		TestUser user = register();
		UUID project = createProject(user, "screened", "private");
		String path = "/projects/" + project + "/generate";
		http.post(path, user.token(), "{\"logline\":" + quoted("Anna films a snuff\u200Bfilm at dawn.") + "}")
			.assertProblem(422, "prompt_blocked");
		http.post(path + "?dryRun=true", user.token(), "{\"logline\":\"Anna walks at dawn.\",\"settings\":{\"style\":"
				+ quoted("snuff-film") + "}}").assertProblem(422, "prompt_blocked");
		http.post("/projects/" + project + "/registry/entries", user.token(),
				"{\"kind\":\"character\",\"name\":\"Anna\",\"description\":" + quoted("star of a SNUFF  FILM") + "}")
			.assertStatus(201);
		http.post(path, user.token(), "{\"logline\":\"Anna walks along the harbor at dawn.\"}")
			.assertProblem(422, "prompt_blocked");

		assertThat(events(user)).containsExactly("generate", "generate", "generate");
		assertNothingRan(user, project);
	}

	@Test
	void aRegenerationIsScreenedForThePromptsOfTheCommitItRegenerates() {
		TestUser user = register();
		UUID project = createProject(user, "committed", "private");
		commit(user, project, "blocked prompt", "[{\"prompt\":" + quoted("a harbor, then a snuff\u00A0film") + "}]");
		http.post("/projects/" + project + "/regenerate", user.token(), null).assertProblem(422, "prompt_blocked");
		commit(user, project, "fine again", "[{\"prompt\":\"a quiet harbor\"}]");
		http.post("/projects/" + project + "/regenerate?dryRun=true", user.token(), null).assertStatus(200);

		assertThat(events(user)).containsExactly("regenerate");
		assertNothingRan(user, project);
	}

	private void assertNothingRan(TestUser user, UUID project) {
		assertThat(balance(user.workspaceId())).isEqualTo(1000);
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single()).isZero();
		assertThat(db.sql("SELECT count(*) FROM pipelines WHERE project_id = :p").param("p", project)
			.query(Long.class).single()).isZero();
	}

	private List<String> events(TestUser user) {
		return db.sql("SELECT kind FROM safety_events WHERE workspace_id = :w ORDER BY created_at, id")
			.param("w", user.workspaceId())
			.query(String.class)
			.list();
	}

	private String quoted(String text) {
		return json.writeValueAsString(text);
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
