package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The closed ecosystem across merges: the assets of the history a merge brings in become usable
 * in the target, and only those: not what the source referenced after the merged commit, not the
 * rest of the source's workspace, not a value slipped in through a resolution.
 */
class MergeAssetsTest extends HistoryApiTest {

	@Test
	void assetsArrivingWithAMergeBecomeUsableAndOnlyThose() {
		TestUser alice = register();
		TestUser bob = register();
		TestUser carol = register();
		UUID project = createProject(alice, "public film", "public");
		commit(alice, project, "one scene", "[{\"prompt\":\"a harbor\"}]");
		String scene = head(alice, project).get("timeline").get("scenes").get(0).get("id").asString();
		UUID fork = http.post("/projects/" + project + "/fork", bob.token(), "{\"workspaceId\":\"" + bob.workspaceId()
				+ "\",\"visibility\":\"public\"}").assertStatus(201).uuid("id");
		UUID merged = image(bob, "ok:merged");
		UUID later = image(bob, "ok:later");
		UUID neverCommitted = image(bob, "ok:never");
		String offered = commitKeyframe(bob, fork, scene, merged).get("id").asString();
		commitKeyframe(bob, fork, scene, later);
		UUID own = image(alice, "ok:alice");
		commitKeyframe(alice, project, scene, own);

		// Before the merge none of Bob's assets is Alice's project's to use or show.
		refused(alice, project, merged);
		http.get("/projects/" + project + "/assets/" + merged, carol.token()).assertStatus(404);

		String path = "scenes." + scene + ".keyframeAssetId";
		String at = ",\"sourceCommitId\":\"" + offered + "\"";
		JsonNode conflict = merge(alice, project, fork, at).assertProblem(409, "merge_conflict").json();
		assertThat(conflict.get("conflicts").get(0).get("path").asString()).isEqualTo(path);
		String head = head(alice, project).get("id").asString();
		// A resolution cannot smuggle in an asset the merged history does not reference.
		for (UUID foreign : new UUID[] { later, neverCommitted }) {
			merge(alice, project, fork, at + ",\"resolutions\":[{\"path\":\"" + path + "\",\"value\":\"" + foreign + "\"}]")
				.assertProblem(400, "invalid_asset_reference");
			assertThat(head(alice, project).get("id").asString()).isEqualTo(head);
		}
		JsonNode mergeCommit = merge(alice, project, fork,
				at + ",\"resolutions\":[{\"path\":\"" + path + "\",\"take\":\"theirs\"}]").assertStatus(201).json();
		assertThat(mergeCommit.get("timeline").get("scenes").get(0).get("keyframeAssetId").asString())
			.isEqualTo(merged.toString());

		// After it, the merged history's asset is usable and readable through the project; the rest is not.
		http.post("/projects/" + project + "/commits", alice.token(), "{\"message\":\"reuse\",\"timeline\":{\"scenes\":["
				+ "{\"prompt\":\"again\",\"keyframeAssetId\":\"" + merged + "\"}]}}").assertStatus(201);
		refused(alice, project, later);
		refused(alice, project, neverCommitted);
		http.get("/projects/" + project + "/assets/" + merged, carol.token()).assertStatus(200);
		http.get("/projects/" + project + "/assets/" + later, carol.token()).assertStatus(404);
		http.get("/projects/" + project + "/assets/" + neverCommitted, carol.token()).assertStatus(404);

		// A fork made at the merge commit inherits through both of its parents, and no further.
		UUID carolsFork = http.post("/projects/" + project + "/fork", carol.token(), "{\"workspaceId\":\""
				+ carol.workspaceId() + "\",\"commitId\":\"" + mergeCommit.get("id").asString() + "\"}").assertStatus(201)
			.uuid("id");
		http.post("/projects/" + carolsFork + "/commits", carol.token(), "{\"message\":\"reuse\",\"timeline\":{\"scenes\":["
				+ "{\"prompt\":\"mine\",\"keyframeAssetId\":\"" + merged + "\"}]}}").assertStatus(201);
		refused(carol, carolsFork, later);
		http.get("/projects/" + carolsFork + "/assets/" + merged, carol.token()).assertStatus(200);
	}

	@Test
	void aCherryPickBringsNoAssets() {
		TestUser alice = register();
		TestUser bob = register();
		UUID project = createProject(alice, "public film", "public");
		commit(alice, project, "one scene", "[{\"prompt\":\"a harbor\"}]");
		String scene = head(alice, project).get("timeline").get("scenes").get(0).get("id").asString();
		UUID fork = http.post("/projects/" + project + "/fork", bob.token(), "{\"workspaceId\":\"" + bob.workspaceId()
				+ "\",\"visibility\":\"public\"}").assertStatus(201).uuid("id");
		UUID bobs = image(bob, "ok:bob");
		String picked = commitKeyframe(bob, fork, scene, bobs).get("id").asString();
		http.post("/projects/" + project + "/cherry-pick", alice.token(), "{\"sourceProjectId\":\"" + fork
				+ "\",\"commitId\":\"" + picked + "\"}").assertProblem(400, "invalid_asset_reference");
		refused(alice, project, bobs);
	}

	private JsonNode commitKeyframe(TestUser user, UUID project, String scene, UUID keyframe) {
		String commit = edit(user, project, "keyframe",
				t -> ((tools.jackson.databind.node.ObjectNode) t.get("scenes").get(0)).put("keyframeAssetId", keyframe.toString()));
		return http.get("/projects/" + project + "/commits/" + commit, user.token()).assertStatus(200).json();
	}

	private void refused(TestUser user, UUID project, UUID asset) {
		http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"steal\",\"timeline\":{\"scenes\":[{\"keyframeAssetId\":\"" + asset + "\"}]}}")
			.assertProblem(400, "invalid_asset_reference");
	}

	private UUID image(TestUser user, String prompt) {
		UUID job = submit(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"" + prompt
				+ "\",\"provider\":\"scripted\"}").assertStatus(201).uuid("id");
		JsonNode done = awaitJob(user, job);
		assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("succeeded");
		return UUID.fromString(done.get("resultAssetId").asString());
	}

}
