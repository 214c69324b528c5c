package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Blame names, per scene field, the commit, author, project and workspace that set it, across forks and merges. */
class BlameTest extends HistoryApiTest {

	@Test
	void blameAfterAChainOfThreeForksNamesEachScenesAuthorInItsOwnFork() {
		TestUser a = register();
		TestUser b = register();
		TestUser c = register();
		TestUser d = register();
		UUID original = createProject(a, "original", "public");
		String created = commit(a, original, "three scenes", "[{\"prompt\":\"one\"},{\"prompt\":\"two\"},{\"prompt\":\"three\"}]")
			.toString();
		UUID forkB = publicFork(b, original);
		String byB = edit(b, forkB, "b edits one", t -> prompt(t, 0, "one by b"));
		UUID forkC = publicFork(c, forkB);
		String byC = edit(c, forkC, "c edits two", t -> prompt(t, 1, "two by c"));
		UUID forkD = publicFork(d, forkC);
		String byD = edit(d, forkD, "d edits three and adds four", t -> {
			prompt(t, 2, "three by d");
			((tools.jackson.databind.node.ArrayNode) t.get("scenes")).add(json.readTree("{\"prompt\":\"four by d\"}"));
		});

		JsonNode blame = http.get("/projects/" + forkD + "/blame", d.token()).assertStatus(200).json();
		assertThat(blame.get("commitId").asString()).isEqualTo(byD);
		JsonNode scenes = blame.get("scenes");
		assertThat(scenes).hasSize(4);
		expect(scenes.get(0).get("fields").get("prompt"), byB, b, forkB);
		expect(scenes.get(1).get("fields").get("prompt"), byC, c, forkC);
		expect(scenes.get(2).get("fields").get("prompt"), byD, d, forkD);
		expect(scenes.get(3).get("fields").get("prompt"), byD, d, forkD);
		// Untouched fields and the scenes' origins go back to the original.
		expect(scenes.get(0).get("fields").get("durationMs"), created, a, original);
		expect(scenes.get(0).get("origin"), created, a, original);
		expect(scenes.get(3).get("origin"), byD, d, forkD);
		assertThat(scenes.get(0).get("fields").properties().stream().map(java.util.Map.Entry::getKey).toList())
			.containsExactly("prompt", "durationMs", "keyframeAssetId", "videoAssetId", "audioAssetId", "assetTags",
					"composition");

		// C hides its fork: strangers now see its commit hidden, as the lineage shows the fork.
		http.patch("/projects/" + forkC, c.token(), "{\"visibility\":\"private\"}").assertStatus(200);
		JsonNode hidden = http.get("/projects/" + forkD + "/blame", d.token()).assertStatus(200).json().get("scenes").get(1)
			.get("fields").get("prompt");
		assertThat(hidden.get("hidden").asBoolean()).isTrue();
		assertThat(hidden.get("commitId").asString()).isEqualTo(byC);
		assertThat(hidden.get("authorId").isNull()).isTrue();
		assertThat(hidden.get("workspaceId").isNull()).isTrue();
		assertThat(hidden.get("message").isNull()).isTrue();
		JsonNode lineage = http.get("/projects/" + forkD + "/lineage", d.token()).json();
		assertThat(lineage.get("ancestors").get(0).get("hidden").asBoolean()).isTrue();
		JsonNode seenByC = http.get("/projects/" + forkD + "/blame", c.token()).assertStatus(200).json().get("scenes").get(1)
			.get("fields").get("prompt");
		expect(seenByC, byC, c, forkC);
	}

	@Test
	void blameFollowsBothParentsOfAMerge() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "three", "[{\"prompt\":\"one\"},{\"prompt\":\"two\"},{\"prompt\":\"three\"}]");
		UUID fork = fork(user, parent);
		String inFork = edit(user, fork, "fork", t -> prompt(prompt(t, 0, "one, forked"), 2, "three, forked"));
		String upstream = edit(user, parent, "parent", t -> prompt(prompt(t, 1, "two, upstream"), 2, "three, upstream"));
		String scene3 = head(user, parent).get("timeline").get("scenes").get(2).get("id").asString();
		String merge = merge(user, parent, fork, ",\"resolutions\":[{\"path\":\"scenes." + scene3
				+ ".prompt\",\"value\":\"three, together\"}]").assertStatus(201).json().get("id").asString();
		http.post("/projects/" + parent + "/tags", user.token(), "{\"name\":\"merged\",\"commitId\":\"" + merge + "\"}")
			.assertStatus(201);
		edit(user, parent, "later", t -> prompt(t, 1, "two, later"));

		JsonNode scenes = http.get("/projects/" + parent + "/blame?commitId=merged", user.token()).assertStatus(200).json()
			.get("scenes");
		expect(scenes.get(0).get("fields").get("prompt"), inFork, user, fork);
		expect(scenes.get(1).get("fields").get("prompt"), upstream, user, parent);
		expect(scenes.get(2).get("fields").get("prompt"), merge, user, parent);
		http.get("/projects/" + parent + "/blame?commitId=nope", user.token()).assertProblem(404, "commit_not_found");
		http.get("/projects/" + parent + "/blame", register().token()).assertStatus(404);
	}

	private UUID publicFork(TestUser user, UUID source) {
		return http.post("/projects/" + source + "/fork", user.token(), "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"visibility\":\"public\"}").assertStatus(201).uuid("id");
	}

	private static void expect(JsonNode attribution, String commit, TestUser author, UUID project) {
		assertThat(attribution.get("hidden").asBoolean()).isFalse();
		assertThat(attribution.get("commitId").asString()).isEqualTo(commit);
		assertThat(attribution.get("authorId").asString()).isEqualTo(author.userId().toString());
		assertThat(attribution.get("projectId").asString()).isEqualTo(project.toString());
		assertThat(attribution.get("workspaceId").asString()).isEqualTo(author.workspaceId().toString());
	}

}
