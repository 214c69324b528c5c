package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Plans after a merge, on real pipelines (local provider, FFmpeg): merged scenes keep the artifacts
 * their side made, and only what the combination changed is stale.
 */
class MergePlanTest extends HistoryApiTest {

	static final String LOGLINE = "Anna walks along the harbor at dawn. The harbor is quiet and grey. "
			+ "Anna finds an old lantern. The lantern glows as the sun rises.";

	@Test
	void aMergeOfEditsRegeneratedOnEachSideNeedsNoJobForAnyScene() {
		TestUser user = register();
		UUID parent = createProject(user, "harbor", "private");
		run(user, http.post("/projects/" + parent + "/generate", user.token(),
				"{\"logline\":\"" + LOGLINE + "\",\"sceneCount\":4,\"settings\":{\"style\":\"watercolor\"}}"));
		UUID fork = fork(user, parent);
		edit(user, fork, "fork edits scene 2", t -> prompt(t, 1, "The harbor is loud and golden."));
		run(user, http.post("/projects/" + fork + "/regenerate", user.token(), "{}"));
		edit(user, parent, "parent edits scene 4", t -> prompt(t, 3, "The lantern goes dark at noon."));
		run(user, http.post("/projects/" + parent + "/regenerate", user.token(), "{}"));
		JsonNode forkScene2 = head(user, fork).get("timeline").get("scenes").get(1);
		JsonNode parentScene4 = head(user, parent).get("timeline").get("scenes").get(3);

		JsonNode merged = merge(user, parent, fork, "").assertStatus(201).json();
		JsonNode scenes = merged.get("timeline").get("scenes");
		assertThat(scenes.get(1).get("videoAssetId")).isEqualTo(forkScene2.get("videoAssetId"));
		assertThat(scenes.get(3).get("videoAssetId")).isEqualTo(parentScene4.get("videoAssetId"));

		JsonNode plan = http.get("/projects/" + parent + "/plan", user.token()).assertStatus(200).json();
		assertThat(states(plan)).containsExactly("inherited inherited inherited", "inherited inherited inherited",
				"inherited inherited inherited", "inherited inherited inherited");
		// The combination itself is new: only its render is stale.
		assertThat(plan.get("render").get("state").asString()).isEqualTo("stale");
		JsonNode dryRun = http.post("/projects/" + parent + "/regenerate?dryRun=true", user.token(), "{}").assertStatus(200)
			.json();
		List<String> types = new ArrayList<>();
		dryRun.get("planned").forEach(job -> types.add(job.get("type").asString()));
		assertThat(types).containsExactly("render");

		// A setting changed on one side reaches every scene of the merge.
		UUID restyled = http.post("/projects/" + parent + "/fork", user.token(), "{\"workspaceId\":\""
				+ user.workspaceId() + "\",\"edits\":{\"settings\":{\"style\":\"film noir\"}}}").assertStatus(201).uuid("id");
		edit(user, parent, "parent edits scene 1", t -> prompt(t, 0, "Anna runs along the harbor at dawn."));
		merge(user, parent, restyled, "").assertStatus(201);
		JsonNode after = http.get("/projects/" + parent + "/plan", user.token()).assertStatus(200).json();
		assertThat(states(after)).containsOnly("stale stale stale");
		assertThat(after.get("scenes").get(2).get("artifacts").get(0).get("reasons").toString()).contains("style changed");
	}

	private void run(TestUser user, Http.Response started) {
		started.assertStatus(202);
		JsonNode pipeline = awaitPipeline(user, UUID.fromString(started.json().get("pipelineId").asString()));
		assertThat(pipeline.get("status").asString()).as(pipeline.toString()).isEqualTo("succeeded");
	}

	private static List<String> states(JsonNode plan) {
		List<String> states = new ArrayList<>();
		plan.get("scenes").forEach(scene -> {
			List<String> parts = new ArrayList<>();
			scene.get("artifacts").forEach(a -> parts.add(a.get("state").asString()));
			states.add(String.join(" ", parts));
		});
		return states;
	}

}
