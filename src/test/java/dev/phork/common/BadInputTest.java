package dev.phork.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear 4xx problem naming what is wrong, changes nothing, and is never a 500. */
class BadInputTest extends ApiTest {

	@Test
	void clientSuppliedIdsAndLineageAreRejected() {
		TestUser user = register();
		UUID project = createProject(user, "target", "public");
		String ws = "\"workspaceId\":\"" + user.workspaceId() + "\"";
		for (String field : new String[] { "id", "rootProjectId", "parentProjectId", "forkCommitId", "headCommitId" }) {
			Http.Response response = http.post("/projects", user.token(),
					"{" + ws + ",\"name\":\"x\",\"" + field + "\":\"" + UUID.randomUUID() + "\"}")
				.assertProblem(400, "validation_failed");
			assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
		}
		http.post("/projects/" + project + "/fork", user.token(), "{" + ws + ",\"rootProjectId\":\"" + project + "\"}")
			.assertProblem(400, "validation_failed");
		for (String field : new String[] { "id", "rootPromptId", "parentPromptId" }) {
			http.post("/prompts", user.token(), "{" + ws + ",\"title\":\"t\",\"body\":\"b\",\"" + field + "\":\""
					+ UUID.randomUUID() + "\"}").assertProblem(400, "validation_failed");
		}
		http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"m\",\"id\":\"" + UUID.randomUUID() + "\",\"timeline\":{\"scenes\":[]}}")
			.assertProblem(400, "validation_failed");
		http.post("/auth/register", null, "{\"email\":\"x@example.com\",\"password\":\"0123456789\",\"admin\":true}")
			.assertProblem(400, "validation_failed");
		assertThat(db.sql("SELECT count(*) FROM projects WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void malformedIdsWrongTypesAndEmptyBodiesAre400() {
		TestUser user = register();
		UUID project = createProject(user, "p", "private");
		http.get("/projects/not-a-uuid", user.token()).assertProblem(400, "invalid_parameter");
		http.get("/projects?workspaceId=123", user.token()).assertProblem(400, "invalid_parameter");
		// A commit is named by its id or by a tag name: this is neither.
		http.get("/projects/" + project + "/commits/z%20z!", user.token()).assertProblem(400, "invalid_parameter");
		http.post("/projects", user.token(), "").assertProblem(400, "malformed_body");
		http.post("/projects", user.token(), "{").assertProblem(400, "malformed_body");
		http.post("/projects", user.token(), "[]").assertProblem(400, "validation_failed");
		http.post("/projects", user.token(), "{}").assertProblem(400, "validation_failed");
		Http.Response wrongType = http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"m\",\"timeline\":{\"scenes\":[{\"durationMs\":\"long\"}]}}")
			.assertProblem(400, "validation_failed");
		assertThat(wrongType.json().get("errors").get(0).get("field").asString()).isEqualTo("timeline.scenes[0].durationMs");
		Http.Response badId = http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"m\",\"timeline\":{\"scenes\":[{\"videoAssetId\":\"nope\"}]}}")
			.assertProblem(400, "validation_failed");
		assertThat(badId.json().get("errors").get(0).get("field").asString()).isEqualTo("timeline.scenes[0].videoAssetId");
		Http.Response tooLong = http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"m\",\"timeline\":{\"scenes\":[{\"durationMs\":0,\"prompt\":\"" + "x".repeat(4001) + "\"}]}}")
			.assertProblem(400, "validation_failed");
		assertThat(tooLong.json().get("errors").toString()).contains("timeline.scenes[0].durationMs", "timeline.scenes[0].prompt");
		http.post("/projects/" + project + "/commits", user.token(), "{\"message\":\"m\"}").assertProblem(400, "validation_failed");
		assertThat(db.sql("SELECT count(*) FROM commits WHERE project_id = :p").param("p", project).query(Long.class).single())
			.isEqualTo(1);
	}

	/** PostgreSQL text cannot hold NUL: such text is bad input, named by field, and nothing is written. */
	@Test
	void textWithANulCharacterIs400() {
		TestUser user = register();
		String ws = "\"workspaceId\":\"" + user.workspaceId() + "\"";
		Http.Response key = http.post("/jobs/gen-image", user.token(),
				"{" + ws + ",\"prompt\":\"x\",\"provider\":\"solid\",\"idempotencyKey\":\"a\\u0000b\"}")
			.assertProblem(400, "validation_failed");
		assertThat(key.json().get("errors").get(0).get("field").asString()).isEqualTo("idempotencyKey");
		http.post("/jobs/gen-image", user.token(), "{" + ws + ",\"prompt\":\"a\\u0000\",\"provider\":\"solid\"}")
			.assertProblem(400, "validation_failed");
		http.post("/projects", user.token(), "{" + ws + ",\"name\":\"\\u0000\"}").assertProblem(400, "validation_failed");
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single()).isZero();
		assertThat(balance(user.workspaceId())).isEqualTo(1000);
	}

	@Test
	void oversizedBodiesAre413AndTooManyScenesAre400() {
		TestUser user = register();
		UUID project = createProject(user, "big", "private");
		String huge = "{\"message\":\"m\",\"timeline\":{\"scenes\":[{\"prompt\":\"" + "y".repeat(1_100_000) + "\"}]}}";
		http.post("/projects/" + project + "/commits", user.token(), huge).assertProblem(413, "payload_too_large");
		StringBuilder scenes = new StringBuilder("[");
		for (int i = 0; i < 501; i++) {
			scenes.append(i == 0 ? "" : ",").append("{}");
		}
		http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"m\",\"timeline\":{\"scenes\":" + scenes + "]}}").assertProblem(400, "validation_failed");
	}

	@Test
	void unknownPathsAndMethodsAreProblemsToo() {
		TestUser user = register();
		http.get("/no/such/thing", user.token()).assertProblem(404, "not_found");
		http.send("PUT", "/health", null, "{}", null).assertProblem(405, "method_not_allowed");
		Http.Response wrongMedia = http.send("POST", "/projects", user.token(), "x",
				new String[] { "Content-Type", "text/plain" });
		wrongMedia.assertProblem(415, "unsupported_media_type");
	}

}
