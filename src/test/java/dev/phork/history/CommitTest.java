package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Seed flow [4] project creation and commits, and the optimistic concurrency of commits. */
class CommitTest extends ApiTest {

	@Test
	void projectStartsWithAnEmptyCommitAndCommitsAppendToHead() {
		TestUser user = register();
		Http.Response created = http.post("/projects", user.token(),
				"{\"workspaceId\":\"" + user.workspaceId() + "\",\"name\":\"City at night\",\"description\":\"neon\"}")
			.assertStatus(201);
		JsonNode project = created.json();
		UUID projectId = created.uuid("id");
		assertThat(project.get("visibility").asString()).isEqualTo("private");
		assertThat(project.get("parentProjectId").isNull()).isTrue();
		assertThat(project.get("rootProjectId").asString()).isEqualTo(projectId.toString());
		assertThat(project.get("forkCount").asInt()).isZero();
		UUID initial = created.uuid("headCommitId");

		Http.Response empty = http.post("/projects/" + projectId + "/commits", user.token(),
				"{\"message\":\"empty\",\"timeline\":{\"scenes\":[]}}").assertStatus(201);
		assertThat(empty.uuid("parentCommitId")).isEqualTo(initial);
		assertThat(empty.uuid("authorId")).isEqualTo(user.userId());
		assertThat(empty.uuid("projectId")).isEqualTo(projectId);

		Http.Response withScenes = http.post("/projects/" + projectId + "/commits", user.token(),
				"{\"message\":\"two shots\",\"parentCommitId\":\"" + empty.uuid("id") + "\",\"timeline\":{\"scenes\":["
						+ "{\"prompt\":\"a rainy street\",\"durationMs\":4500},{\"prompt\":\"a neon sign\"}]}}")
			.assertStatus(201);
		JsonNode scenes = withScenes.json().get("timeline").get("scenes");
		assertThat(scenes).hasSize(2);
		assertThat(UUID.fromString(scenes.get(0).get("id").asString()).version()).isEqualTo(7);
		assertThat(scenes.get(0).get("prompt").asString()).isEqualTo("a rainy street");
		assertThat(scenes.get(0).get("durationMs").asInt()).isEqualTo(4500);

		Http.Response list = http.get("/projects/" + projectId + "/commits", user.token()).assertStatus(200);
		List<String> ids = new ArrayList<>();
		list.json().get("items").forEach(c -> ids.add(c.get("id").asString()));
		assertThat(ids).containsExactly(withScenes.uuid("id").toString(), empty.uuid("id").toString(), initial.toString());
		assertThat(list.json().get("nextCursor").isNull()).isTrue();

		http.get("/projects/" + projectId + "/commits/" + withScenes.uuid("id"), user.token()).assertStatus(200);
		assertThat(http.get("/projects/" + projectId, user.token()).uuid("headCommitId")).isEqualTo(withScenes.uuid("id"));
	}

	@Test
	void sceneIdsAreServerAssignedAndCarriedOver() {
		TestUser user = register();
		UUID projectId = createProject(user, "scenes", "private");
		Http.Response first = http.post("/projects/" + projectId + "/commits", user.token(),
				"{\"message\":\"one\",\"timeline\":{\"scenes\":[{\"prompt\":\"dawn\"}]}}").assertStatus(201);
		String sceneId = first.json().get("timeline").get("scenes").get(0).get("id").asString();
		Http.Response second = http.post("/projects/" + projectId + "/commits", user.token(),
				"{\"message\":\"edit\",\"timeline\":{\"scenes\":[{\"id\":\"" + sceneId + "\",\"prompt\":\"dusk\"},{\"prompt\":\"night\"}]}}")
			.assertStatus(201);
		assertThat(second.json().get("timeline").get("scenes").get(0).get("id").asString()).isEqualTo(sceneId);

		http.post("/projects/" + projectId + "/commits", user.token(), "{\"message\":\"forged\",\"timeline\":{\"scenes\":[{\"id\":\""
				+ UUID.randomUUID() + "\",\"prompt\":\"x\"}]}}").assertProblem(400, "unknown_scene_id");
		http.post("/projects/" + projectId + "/commits", user.token(), "{\"message\":\"twice\",\"timeline\":{\"scenes\":[{\"id\":\""
				+ sceneId + "\"},{\"id\":\"" + sceneId + "\"}]}}").assertProblem(400, "duplicate_scene_id");
		assertThat(http.get("/projects/" + projectId, user.token()).uuid("headCommitId")).isEqualTo(second.uuid("id"));
	}

	@Test
	void commitOnAStaleParentIs409AndChangesNothing() {
		TestUser user = register();
		UUID projectId = createProject(user, "stale", "private");
		UUID initial = http.get("/projects/" + projectId, user.token()).uuid("headCommitId");
		UUID next = commit(user, projectId, "next", "[]");
		long before = db.sql("SELECT count(*) FROM commits").query(Long.class).single();
		Http.Response stale = http.post("/projects/" + projectId + "/commits", user.token(),
				"{\"message\":\"late\",\"parentCommitId\":\"" + initial + "\",\"timeline\":{\"scenes\":[]}}")
			.assertProblem(409, "stale_parent");
		assertThat(stale.json().get("headCommitId").asString()).isEqualTo(next.toString());
		assertThat(db.sql("SELECT count(*) FROM commits").query(Long.class).single()).isEqualTo(before);
	}

	@Test
	void ofSixteenConcurrentCommitsOnOneParentExactlyOneWins() throws Exception {
		TestUser user = register();
		UUID projectId = createProject(user, "race", "private");
		UUID parent = http.get("/projects/" + projectId, user.token()).uuid("headCommitId");
		int writers = 16;
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Http.Response>> results = new ArrayList<>();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < writers; i++) {
				int n = i;
				results.add(pool.submit(() -> {
					start.await();
					return http.post("/projects/" + projectId + "/commits", user.token(), "{\"message\":\"writer " + n
							+ "\",\"parentCommitId\":\"" + parent + "\",\"timeline\":{\"scenes\":[]}}");
				}));
			}
			start.countDown();
		}
		List<Http.Response> won = new ArrayList<>();
		for (Future<Http.Response> result : results) {
			Http.Response response = result.get();
			if (response.status() == 201) {
				won.add(response);
			}
			else {
				response.assertProblem(409, "stale_parent");
			}
		}
		assertThat(won).hasSize(1);
		long commitsOnParent = db.sql("SELECT count(*) FROM commits WHERE parent_commit_id = :p").param("p", parent)
			.query(Long.class).single();
		assertThat(commitsOnParent).isEqualTo(1);
		UUID head = db.sql("SELECT head_commit_id FROM projects WHERE id = :id").param("id", projectId).query(UUID.class).single();
		assertThat(head).isEqualTo(won.getFirst().uuid("id"));
	}

	@Test
	void commitsWithoutAParentQueueOnTheHeadAndAllLand() throws Exception {
		TestUser user = register();
		UUID projectId = createProject(user, "queue", "private");
		int writers = 12;
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<Http.Response>> results = new ArrayList<>();
			for (int i = 0; i < writers; i++) {
				results.add(pool.submit(() -> http.post("/projects/" + projectId + "/commits", user.token(),
						"{\"message\":\"append\",\"timeline\":{\"scenes\":[]}}")));
			}
			for (Future<Http.Response> result : results) {
				result.get().assertStatus(201);
			}
		}
		Http.Response list = http.get("/projects/" + projectId + "/commits?limit=200", user.token()).assertStatus(200);
		assertThat(list.json().get("items")).hasSize(writers + 1);
		long distinctParents = db.sql("SELECT count(DISTINCT parent_commit_id) FROM commits WHERE project_id = :p")
			.param("p", projectId).query(Long.class).single();
		assertThat(distinctParents).isEqualTo(writers);
	}

	@Test
	void commitListPagesWithACursor() {
		TestUser user = register();
		UUID projectId = createProject(user, "paging", "private");
		for (int i = 0; i < 6; i++) {
			commit(user, projectId, "c" + i, "[]");
		}
		List<String> seen = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			Http.Response page = http.get("/projects/" + projectId + "/commits?limit=3"
					+ (cursor == null ? "" : "&cursor=" + cursor), user.token()).assertStatus(200);
			page.json().get("items").forEach(c -> seen.add(c.get("message").asString()));
			cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asString();
			pages++;
		}
		while (cursor != null);
		assertThat(seen).containsExactly("c5", "c4", "c3", "c2", "c1", "c0", "Create project");
		assertThat(pages).isEqualTo(3);
		http.get("/projects/" + projectId + "/commits?cursor=zzzz", user.token()).assertProblem(400, "invalid_cursor");
		http.get("/projects/" + projectId + "/commits?limit=0", user.token()).assertProblem(400, "invalid_limit");
	}

	@Test
	void aCursorOrCommitIdFromAnotherProjectRevealsNothing() {
		TestUser owner = register();
		UUID secret = createProject(owner, "secret", "private");
		UUID secretCommit = commit(owner, secret, "hidden plans", "[]");
		TestUser other = register();
		UUID mine = createProject(other, "mine", "private");
		String foreignCursor = java.util.Base64.getUrlEncoder().withoutPadding()
			.encodeToString(secretCommit.toString().getBytes());
		http.get("/projects/" + mine + "/commits?cursor=" + foreignCursor, other.token()).assertProblem(404, "commit_not_found");
		http.get("/projects/" + mine + "/commits/" + secretCommit, other.token()).assertProblem(404, "commit_not_found");
	}

	@Test
	void viewersReadButCannotCommit() {
		TestUser owner = register();
		TestUser viewer = register();
		UUID projectId = createProject(owner, "team", "private");
		addMember(owner, owner.workspaceId(), viewer, "viewer");
		http.get("/projects/" + projectId, viewer.token()).assertStatus(200);
		http.get("/projects/" + projectId + "/commits", viewer.token()).assertStatus(200);
		http.post("/projects/" + projectId + "/commits", viewer.token(), "{\"message\":\"x\",\"timeline\":{\"scenes\":[]}}")
			.assertProblem(403, "insufficient_role");
		http.patch("/projects/" + projectId, viewer.token(), "{\"name\":\"renamed\"}").assertProblem(403, "insufficient_role");
		http.post("/projects", viewer.token(), "{\"workspaceId\":\"" + owner.workspaceId() + "\",\"name\":\"nope\"}")
			.assertProblem(403, "insufficient_role");
	}

	@Test
	void patchUpdatesNameDescriptionAndVisibility() {
		TestUser user = register();
		UUID projectId = createProject(user, "before", "private");
		Http.Response patched = http.patch("/projects/" + projectId, user.token(),
				"{\"name\":\"after\",\"description\":\"now public\",\"visibility\":\"public\"}").assertStatus(200);
		assertThat(patched.json().get("name").asString()).isEqualTo("after");
		assertThat(patched.json().get("description").asString()).isEqualTo("now public");
		assertThat(patched.json().get("visibility").asString()).isEqualTo("public");
		http.patch("/projects/" + projectId, user.token(), "{\"visibility\":\"secret\"}").assertProblem(400, "validation_failed");
		http.patch("/projects/" + projectId, user.token(), "{\"name\":\"   \"}").assertProblem(400, "validation_failed");
		http.patch("/projects/" + projectId, user.token(), "{\"rootProjectId\":\"" + UUID.randomUUID() + "\"}")
			.assertProblem(400, "validation_failed");
		assertThat(http.get("/projects/" + projectId, user.token()).json().get("name").asString()).isEqualTo("after");
	}

}
