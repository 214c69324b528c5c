package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Tags name one commit, unique per project, and stand for it wherever a commit is accepted. */
class TagTest extends HistoryApiTest {

	@Test
	void aTagNamesACommitWhereverACommitIsAccepted() {
		TestUser user = register();
		UUID project = createProject(user, "film", "private");
		commit(user, project, "two", "[{\"prompt\":\"one\"},{\"prompt\":\"two\"}]");
		String v1 = head(user, project).get("id").asString();
		JsonNode tag = http.post("/projects/" + project + "/tags", user.token(), "{\"name\":\"v1.0\",\"commitId\":\"" + v1
				+ "\"}").assertStatus(201).json();
		assertThat(tag.get("commitId").asString()).isEqualTo(v1);
		assertThat(tag.get("createdBy").asString()).isEqualTo(user.userId().toString());
		edit(user, project, "later", t -> prompt(t, 0, "one, later"));
		// A tag given as the commit of another tag.
		http.post("/projects/" + project + "/tags", user.token(), "{\"name\":\"first-cut\",\"commitId\":\"v1.0\"}")
			.assertStatus(201);

		assertThat(http.get("/projects/" + project + "/commits/v1.0", user.token()).assertStatus(200).json().get("id")
			.asString()).isEqualTo(v1);
		assertThat(http.get("/projects/" + project + "/plan?commitId=v1.0", user.token()).assertStatus(200).json()
			.get("commitId").asString()).isEqualTo(v1);
		JsonNode diff = http.get("/projects/" + project + "/diff?from=v1.0&to=" + head(user, project).get("id").asString(),
				user.token()).assertStatus(200).json();
		assertThat(diff.get("scenes").get("modified")).hasSize(1);
		UUID fork = http.post("/projects/" + project + "/fork", user.token(), "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"commitId\":\"v1.0\"}").assertStatus(201).uuid("id");
		assertThat(http.get("/projects/" + fork, user.token()).json().get("forkCommitId").asString()).isEqualTo(v1);
		// Reverting v1.0 (which wrote both scenes) conflicts with the later edit of scene one.
		http.post("/projects/" + project + "/revert", user.token(), "{\"commitId\":\"v1.0\"}")
			.assertProblem(409, "merge_conflict");
		String tip = edit(user, fork, "fork edits two", t -> prompt(t, 1, "two, forked"));
		http.post("/projects/" + fork + "/tags", user.token(), "{\"name\":\"tip\",\"commitId\":\"" + tip + "\"}")
			.assertStatus(201);
		JsonNode merged = merge(user, project, fork, ",\"sourceCommitId\":\"tip\"").assertStatus(201).json();
		assertThat(merged.get("mergeParentId").asString()).isEqualTo(tip);

		JsonNode list = http.get("/projects/" + project + "/tags", user.token()).assertStatus(200).json();
		assertThat(list.get("items")).hasSize(2);
		assertThat(list.get("items").get(0).get("name").asString()).isEqualTo("first-cut");

		http.post("/projects/" + project + "/tags", user.token(), "{\"name\":\"v1.0\",\"commitId\":\"" + v1 + "\"}")
			.assertProblem(409, "tag_exists");
		http.post("/projects/" + project + "/tags", user.token(), "{\"name\":\"" + UUID.randomUUID() + "\",\"commitId\":\""
				+ v1 + "\"}").assertProblem(400, "invalid_tag_name");
		http.post("/projects/" + project + "/tags", user.token(), "{\"name\":\"has space\",\"commitId\":\"" + v1 + "\"}")
			.assertProblem(400, "invalid_tag_name");
		http.post("/projects/" + project + "/tags", user.token(), "{\"name\":\"x\",\"commitId\":\"missing\"}")
			.assertProblem(404, "commit_not_found");
		TestUser viewer = register();
		addMember(user, user.workspaceId(), viewer, "viewer");
		http.get("/projects/" + project + "/tags", viewer.token()).assertStatus(200);
		http.post("/projects/" + project + "/tags", viewer.token(), "{\"name\":\"v2\",\"commitId\":\"" + v1 + "\"}")
			.assertProblem(403, "insufficient_role");
		http.get("/projects/" + project + "/tags", register().token()).assertStatus(404);

		http.delete("/projects/" + project + "/tags/v1.0", user.token()).assertStatus(204);
		http.get("/projects/" + project + "/commits/v1.0", user.token()).assertProblem(404, "commit_not_found");
		http.delete("/projects/" + project + "/tags/v1.0", user.token()).assertProblem(404, "tag_not_found");
		// Tags are per project: the fork has none of its source's.
		http.get("/projects/" + fork + "/commits/first-cut", user.token()).assertProblem(404, "commit_not_found");
	}

}
