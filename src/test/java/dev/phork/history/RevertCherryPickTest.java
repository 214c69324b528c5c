package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Revert and cherry-pick: new commits on the head, by the three-way rules. */
class RevertCherryPickTest extends HistoryApiTest {

	static final String THREE = "[{\"prompt\":\"one\"},{\"prompt\":\"two\"},{\"prompt\":\"three\"}]";

	@Test
	void revertUndoesWhatACommitChangedAndConflictsWithLaterChanges() {
		TestUser user = register();
		UUID project = createProject(user, "film", "private");
		commit(user, project, "three", THREE);
		String first = edit(user, project, "edit one", t -> prompt(t, 0, "one, edited"));
		String second = edit(user, project, "edit two", t -> prompt(t, 1, "two, edited"));

		JsonNode reverted = http.post("/projects/" + project + "/revert", user.token(), "{\"commitId\":\"" + first + "\"}")
			.assertStatus(201).json();
		assertThat(prompts(reverted)).containsExactly("one", "two, edited", "three");
		assertThat(reverted.get("parentCommitId").asString()).isEqualTo(second);
		assertThat(reverted.get("mergeParentId").isNull()).isTrue();
		assertThat(reverted.get("message").asString()).isEqualTo("Revert \"edit one\"");

		edit(user, project, "edit two again", t -> prompt(t, 1, "two, again"));
		String head = head(user, project).get("id").asString();
		long commits = commitCount();
		JsonNode conflict = http.post("/projects/" + project + "/revert", user.token(), "{\"commitId\":\"" + second + "\"}")
			.assertProblem(409, "merge_conflict").json();
		assertThat(conflict.get("conflicts")).hasSize(1);
		assertThat(conflict.get("conflicts").get(0).get("path").asString()).endsWith(".prompt");
		assertThat(conflict.get("conflicts").get(0).get("ours").asString()).isEqualTo("two, again");
		assertThat(conflict.get("conflicts").get(0).get("theirs").asString()).isEqualTo("two");
		assertThat(head(user, project).get("id").asString()).isEqualTo(head);
		assertThat(commitCount()).isEqualTo(commits);
		String path = conflict.get("conflicts").get(0).get("path").asString();
		JsonNode resolved = http.post("/projects/" + project + "/revert", user.token(), "{\"commitId\":\"" + second
				+ "\",\"resolutions\":[{\"path\":\"" + path + "\",\"take\":\"theirs\"}]}").assertStatus(201).json();
		assertThat(prompts(resolved)).containsExactly("one", "two", "three");

		String created = http.get("/projects/" + project + "/commits?limit=200", user.token()).json().get("items")
			.get(commitsOf(user, project) - 1).get("id").asString();
		http.post("/projects/" + project + "/revert", user.token(), "{\"commitId\":\"" + created + "\"}")
			.assertProblem(422, "nothing_to_revert");
		TestUser viewer = register();
		addMember(user, user.workspaceId(), viewer, "viewer");
		http.post("/projects/" + project + "/revert", viewer.token(), "{\"commitId\":\"" + first + "\"}")
			.assertProblem(403, "insufficient_role");
	}

	@Test
	void cherryPickAppliesAnotherProjectsCommitOrOnlyItsNamedScenes() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "three", THREE);
		UUID fork = fork(user, parent);
		String onlyOne = edit(user, fork, "fork edits one", t -> prompt(t, 0, "one, forked"));
		String twoAndThree = edit(user, fork, "fork edits two and three",
				t -> prompt(prompt(t, 1, "two, forked"), 2, "three, forked"));
		edit(user, parent, "parent edits three", t -> prompt(t, 2, "three, upstream"));
		String scene2 = head(user, parent).get("timeline").get("scenes").get(1).get("id").asString();

		JsonNode picked = http.post("/projects/" + parent + "/cherry-pick", user.token(), "{\"sourceProjectId\":\"" + fork
				+ "\",\"commitId\":\"" + twoAndThree + "\",\"sceneIds\":[\"" + scene2 + "\"]}").assertStatus(201).json();
		assertThat(prompts(picked)).containsExactly("one", "two, forked", "three, upstream");
		assertThat(picked.get("mergeParentId").isNull()).isTrue();

		JsonNode whole = http.post("/projects/" + parent + "/cherry-pick", user.token(), "{\"sourceProjectId\":\"" + fork
				+ "\",\"commitId\":\"" + onlyOne + "\"}").assertStatus(201).json();
		assertThat(prompts(whole)).containsExactly("one, forked", "two, forked", "three, upstream");
		// Picking the whole of the second commit now conflicts on scene three (edited upstream).
		http.post("/projects/" + parent + "/cherry-pick", user.token(), "{\"sourceProjectId\":\"" + fork
				+ "\",\"commitId\":\"" + twoAndThree + "\"}").assertProblem(409, "merge_conflict");
		// The picked commit's history did not become the parent's.
		http.get("/projects/" + parent + "/commits/" + onlyOne, user.token()).assertStatus(404);

		TestUser stranger = register();
		UUID strangers = createProject(stranger, "mine", "private");
		http.post("/projects/" + strangers + "/cherry-pick", stranger.token(), "{\"sourceProjectId\":\"" + fork
				+ "\",\"commitId\":\"" + onlyOne + "\"}").assertProblem(404, "project_not_found");
		http.post("/projects/" + parent + "/cherry-pick", user.token(), "{\"sourceProjectId\":\"" + fork
				+ "\",\"commitId\":\"" + onlyOne + "\",\"sceneIds\":[\"" + UUID.randomUUID() + "\"]}")
			.assertProblem(422, "unknown_scene");
	}

	private int commitsOf(TestUser user, UUID project) {
		return http.get("/projects/" + project + "/commits?limit=200", user.token()).json().get("items").size();
	}

}
