package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Object-level authorization of assets read or used through a project (issue 8, item 1): a project
 * answers only the assets its history references (its own commits, its ancestors' up to each fork
 * point, its own renders), or any asset to members of the asset's workspace. Sharing a workspace
 * with the project is not enough.
 */
class AssetAuthorizationTest extends ApiTest {

	private static final HttpClient RAW = HttpClient.newHttpClient();

	@Test
	void aPublicProjectDoesNotExposeAssetsOfItsWorkspacesPrivateProjects() throws Exception {
		TestUser owner = register();
		TestUser stranger = register();
		UUID secret = createProject(owner, "secret", "private");
		UUID hidden = image(owner, "ok:secret keyframe prompt");
		commit(owner, secret, "secret keyframe", "[{\"keyframeAssetId\":\"" + hidden + "\"}]");
		UUID uncommitted = image(owner, "ok:never committed");
		UUID open = createProject(owner, "open", "public");
		UUID shown = image(owner, "ok:public keyframe");
		commit(owner, open, "public keyframe", "[{\"keyframeAssetId\":\"" + shown + "\"}]");

		JsonNode visible = http.get("/projects/" + open + "/assets/" + shown, stranger.token()).assertStatus(200).json();
		assertThat(content(visible.get("url").asString()).statusCode()).isEqualTo(200);
		for (UUID refused : new UUID[] { hidden, uncommitted, UUID.randomUUID() }) {
			Http.Response response = http.get("/projects/" + open + "/assets/" + refused, stranger.token())
				.assertProblem(404, "asset_not_found");
			assertThat(response.body()).doesNotContain("secret keyframe prompt").doesNotContain("never committed");
		}
		// Members of the asset's workspace read it through any project they can read.
		http.get("/projects/" + open + "/assets/" + hidden, owner.token()).assertStatus(200);
	}

	@Test
	void aPublicProjectStillServesItsOwnRenders() throws Exception {
		TestUser owner = register();
		TestUser stranger = register();
		UUID open = createProject(owner, "rendered in public", "public");
		UUID clip = asset(owner, submit(owner, "gen-video", "{\"workspaceId\":\"" + owner.workspaceId()
				+ "\",\"prompt\":\"a short public clip\",\"durationMs\":1000}").assertStatus(201).uuid("id"));
		commit(owner, open, "one clip", "[{\"videoAssetId\":\"" + clip + "\"}]");
		UUID render = asset(owner, submit(owner, "render", "{\"workspaceId\":\"" + owner.workspaceId()
				+ "\",\"projectId\":\"" + open + "\"}").assertStatus(201).uuid("id"));
		String listed = http.get("/projects/" + open + "/versions", stranger.token()).assertStatus(200).json()
			.get("items").get(0).get("renderAssetId").asString();
		assertThat(listed).isEqualTo(render.toString());

		JsonNode read = http.get("/projects/" + open + "/assets/" + render, stranger.token()).assertStatus(200).json();
		assertThat(content(read.get("url").asString()).statusCode()).isEqualTo(200);
		// A fork does not inherit the renders of the project it forked.
		UUID fork = fork(stranger, open);
		http.get("/projects/" + fork + "/assets/" + render, stranger.token()).assertProblem(404, "asset_not_found");
		http.get("/projects/" + fork + "/assets/" + clip, stranger.token()).assertStatus(200);
	}

	@Test
	void assetsAPrivateAncestorMadeAfterTheForkPointStayHidden() {
		TestUser owner = register();
		TestUser stranger = register();
		UUID ancestor = createProject(owner, "private ancestor", "private");
		UUID before = image(owner, "ok:before the fork");
		commit(owner, ancestor, "before", "[{\"keyframeAssetId\":\"" + before + "\"}]");
		UUID published = http.post("/projects/" + ancestor + "/fork", owner.token(), "{\"workspaceId\":\""
				+ owner.workspaceId() + "\",\"visibility\":\"public\"}").assertStatus(201).uuid("id");
		UUID after = image(owner, "ok:after the fork");
		commit(owner, ancestor, "after", "[{\"keyframeAssetId\":\"" + after + "\"}]");

		http.get("/projects/" + published + "/assets/" + before, stranger.token()).assertStatus(200);
		http.get("/projects/" + published + "/assets/" + after, stranger.token()).assertProblem(404, "asset_not_found");
	}

	@Test
	void aFormerMemberLosesAccessToPrivateAssetsThroughPublicProjects() {
		TestUser owner = register();
		TestUser member = register();
		addMember(owner, owner.workspaceId(), member, "viewer");
		UUID secret = createProject(owner, "team secret", "private");
		UUID hidden = image(owner, "ok:team only");
		commit(owner, secret, "team keyframe", "[{\"keyframeAssetId\":\"" + hidden + "\"}]");
		UUID open = createProject(owner, "team showcase", "public");

		http.get("/projects/" + open + "/assets/" + hidden, member.token()).assertStatus(200);
		http.delete("/workspaces/" + owner.workspaceId() + "/members/" + member.userId(), owner.token()).assertStatus(204);

		http.get("/projects/" + open + "/assets/" + hidden, member.token()).assertProblem(404, "asset_not_found");
		http.get("/assets/" + hidden, member.token()).assertProblem(404, "asset_not_found");
	}

	@Test
	void committingAnotherWorkspacesAssetRevealsNotEvenThatItExists() {
		TestUser owner = register();
		TestUser stranger = register();
		UUID open = createProject(owner, "open", "public");
		UUID hidden = image(owner, "ok:not inherited");
		UUID fork = fork(stranger, open);

		String existing = refusedCommit(stranger, fork, hidden);
		String missing = refusedCommit(stranger, fork, UUID.randomUUID());
		assertThat(existing.replaceAll("[0-9a-f-]{36}", "ID")).isEqualTo(missing.replaceAll("[0-9a-f-]{36}", "ID"));
		assertThat(existing).contains("mint receipt");
		// The owner, an editor of the asset's workspace, may still commit it into that workspace's project.
		commit(owner, open, "own asset", "[{\"keyframeAssetId\":\"" + hidden + "\"}]");
	}

	@Test
	void registryReferencesAreLimitedToWhatTheProjectMayUse() {
		TestUser owner = register();
		TestUser stranger = register();
		UUID open = createProject(owner, "open", "public");
		UUID inherited = image(owner, "ok:inherited reference");
		http.post("/projects/" + open + "/registry/entries", owner.token(),
				"{\"kind\":\"character\",\"name\":\"Heir\",\"referenceAssetId\":\"" + inherited + "\"}").assertStatus(201);
		UUID hidden = image(owner, "ok:hidden reference");
		UUID fork = fork(stranger, open);

		for (UUID refused : new UUID[] { hidden, UUID.randomUUID() }) {
			http.post("/projects/" + fork + "/registry/entries", stranger.token(),
					"{\"kind\":\"character\",\"name\":\"Thief\",\"referenceAssetId\":\"" + refused + "\"}")
				.assertProblem(404, "asset_not_found");
			http.post("/projects/" + fork + "/registry/uploads", stranger.token(), "{\"assetIds\":[\"" + refused + "\"]}")
				.assertProblem(404, "asset_not_found");
			http.post("/projects/" + open + "/fork", stranger.token(), "{\"workspaceId\":\"" + stranger.workspaceId()
					+ "\",\"edits\":{\"assetChanges\":{\"newUploads\":[\"" + refused + "\"]}}}")
				.assertProblem(404, "asset_not_found");
			http.post("/projects/" + open + "/fork", stranger.token(), "{\"workspaceId\":\"" + stranger.workspaceId()
					+ "\",\"edits\":{\"assetChanges\":{\"modified\":{\"CHAR_01\":{\"referenceAssetId\":\"" + refused
					+ "\"}}}}}")
				.assertProblem(404, "asset_not_found");
		}
		assertThat(db.sql("SELECT count(*) FROM projects WHERE parent_project_id = :p").param("p", open)
			.query(Long.class).single()).isEqualTo(1);
		// What the fork inherited is the fork's to reference.
		http.post("/projects/" + fork + "/registry/entries", stranger.token(),
				"{\"kind\":\"object\",\"name\":\"Heirloom\",\"referenceAssetId\":\"" + inherited + "\"}")
			.assertStatus(201);
	}

	@Test
	void animateTakesImagesTheJobsProjectMayUseAndNothingElse() {
		TestUser owner = register();
		TestUser stranger = register();
		UUID open = createProject(owner, "open", "public");
		UUID inherited = image(owner, "ok:inherited keyframe");
		commit(owner, open, "keyframe", "[{\"keyframeAssetId\":\"" + inherited + "\"}]");
		UUID hidden = image(owner, "ok:hidden keyframe");
		UUID fork = fork(stranger, open);
		long balance = balance(stranger.workspaceId());

		for (UUID refused : new UUID[] { hidden, UUID.randomUUID() }) {
			submit(stranger, "animate", animate(stranger, fork, refused)).assertProblem(404, "asset_not_found");
			submit(stranger, "animate", "{\"workspaceId\":\"" + stranger.workspaceId() + "\",\"imageAssetId\":\"" + refused
					+ "\",\"provider\":\"scripted\"}").assertProblem(404, "asset_not_found");
		}
		assertThat(balance(stranger.workspaceId())).isEqualTo(balance);
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w").param("w", stranger.workspaceId())
			.query(Long.class).single()).isZero();
		// An image the fork inherited is the fork's to animate.
		submit(stranger, "animate", animate(stranger, fork, inherited)).assertStatus(201);
	}

	private static String animate(TestUser user, UUID project, UUID image) {
		return "{\"workspaceId\":\"" + user.workspaceId() + "\",\"projectId\":\"" + project + "\",\"imageAssetId\":\"" + image
				+ "\",\"prompt\":\"ok:animated\",\"provider\":\"scripted\"}";
	}

	private String refusedCommit(TestUser user, UUID project, UUID asset) {
		return http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"steal\",\"timeline\":{\"scenes\":[{\"keyframeAssetId\":\"" + asset + "\"}]}}")
			.assertProblem(400, "invalid_asset_reference")
			.json()
			.get("detail")
			.asString();
	}

	private UUID image(TestUser user, String prompt) {
		return asset(user, submit(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"" + prompt
				+ "\",\"provider\":\"scripted\"}").assertStatus(201).uuid("id"));
	}

	private UUID asset(TestUser user, UUID jobId) {
		JsonNode job = awaitJob(user, jobId);
		assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("succeeded");
		return UUID.fromString(job.get("resultAssetId").asString());
	}

	private HttpResponse<byte[]> content(String url) throws Exception {
		return RAW.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + url)).build(),
				HttpResponse.BodyHandlers.ofByteArray());
	}

}
