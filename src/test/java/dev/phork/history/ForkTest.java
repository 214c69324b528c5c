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

/** Seed flow [7] forking, lineage and the fork tree. */
class ForkTest extends ApiTest {

	@Test
	void forkSharesHistoryWithoutCopyingAndDivergesIndependently() {
		TestUser user = register();
		UUID original = createProject(user, "original", "private");
		UUID c1 = commit(user, original, "shot one", "[{\"prompt\":\"one\"}]");
		UUID c2 = commit(user, original, "shot two", "[{\"prompt\":\"one\"},{\"prompt\":\"two\"}]");
		long commitsBefore = db.sql("SELECT count(*) FROM commits").query(Long.class).single();

		Http.Response forked = http.post("/projects/" + original + "/fork", user.token(),
				"{\"workspaceId\":\"" + user.workspaceId() + "\",\"name\":\"my fork\"}").assertStatus(201);
		UUID forkId = forked.uuid("id");
		assertThat(forked.uuid("parentProjectId")).isEqualTo(original);
		assertThat(forked.uuid("rootProjectId")).isEqualTo(original);
		assertThat(forked.uuid("forkCommitId")).isEqualTo(c2);
		assertThat(forked.uuid("headCommitId")).isEqualTo(c2);
		assertThat(forked.json().get("visibility").asString()).isEqualTo("private");
		assertThat(forked.json().get("name").asString()).isEqualTo("my fork");
		assertThat(db.sql("SELECT count(*) FROM commits").query(Long.class).single()).isEqualTo(commitsBefore);

		List<String> forkHistory = messages(http.get("/projects/" + forkId + "/commits", user.token()));
		assertThat(forkHistory).containsExactly("shot two", "shot one", "Create project");

		UUID forkCommit = commit(user, forkId, "fork shot two", "[{\"prompt\":\"one\"},{\"prompt\":\"TWO, reimagined\"}]");
		assertThat(messages(http.get("/projects/" + forkId + "/commits", user.token())))
			.containsExactly("fork shot two", "shot two", "shot one", "Create project");
		JsonNode originalNow = http.get("/projects/" + original, user.token()).json();
		assertThat(originalNow.get("headCommitId").asString()).isEqualTo(c2.toString());
		assertThat(originalNow.get("forkCount").asInt()).isEqualTo(1);
		assertThat(messages(http.get("/projects/" + original + "/commits", user.token())))
			.containsExactly("shot two", "shot one", "Create project");
		http.get("/projects/" + forkId + "/commits/" + c1, user.token()).assertStatus(200);
		http.get("/projects/" + original + "/commits/" + forkCommit, user.token()).assertProblem(404, "commit_not_found");
	}

	@Test
	void forkAtAnOlderCommitSeesOnlyHistoryUpToIt() {
		TestUser user = register();
		UUID original = createProject(user, "original", "private");
		UUID c1 = commit(user, original, "first", "[]");
		UUID c2 = commit(user, original, "second", "[]");
		Http.Response forked = http.post("/projects/" + original + "/fork", user.token(),
				"{\"workspaceId\":\"" + user.workspaceId() + "\",\"commitId\":\"" + c1 + "\"}").assertStatus(201);
		UUID forkId = forked.uuid("id");
		assertThat(forked.uuid("headCommitId")).isEqualTo(c1);
		assertThat(messages(http.get("/projects/" + forkId + "/commits", user.token()))).containsExactly("first", "Create project");
		http.get("/projects/" + forkId + "/commits/" + c2, user.token()).assertProblem(404, "commit_not_found");

		TestUser other = register();
		UUID unrelated = commit(other, createProject(other, "other", "private"), "unrelated", "[]");
		http.post("/projects/" + original + "/fork", user.token(),
				"{\"workspaceId\":\"" + user.workspaceId() + "\",\"commitId\":\"" + unrelated + "\"}")
			.assertProblem(404, "commit_not_found");
	}

	@Test
	void forkOfForkKeepsTheOriginalRootAndLineageReadsBothWays() {
		TestUser user = register();
		UUID original = createProject(user, "root", "public");
		UUID child = fork(user, original);
		UUID grandchild = fork(user, child);
		UUID sibling = fork(user, original);

		JsonNode grand = http.get("/projects/" + grandchild, user.token()).json();
		assertThat(grand.get("rootProjectId").asString()).isEqualTo(original.toString());
		assertThat(grand.get("parentProjectId").asString()).isEqualTo(child.toString());

		JsonNode lineage = http.get("/projects/" + grandchild + "/lineage", user.token()).assertStatus(200).json();
		assertThat(lineage.get("ancestors")).hasSize(2);
		assertThat(lineage.get("ancestors").get(0).get("id").asString()).isEqualTo(child.toString());
		assertThat(lineage.get("ancestors").get(1).get("id").asString()).isEqualTo(original.toString());
		assertThat(lineage.get("root").get("project").get("name").asString()).isEqualTo("root");
		assertThat(lineage.get("children")).isEmpty();

		JsonNode rootLineage = http.get("/projects/" + original + "/lineage", user.token()).json();
		assertThat(rootLineage.get("root").isNull()).isTrue();
		assertThat(rootLineage.get("children")).hasSize(2);

		Http.Response tree = http.get("/projects/" + original + "/forks", user.token()).assertStatus(200);
		List<String> depths = new ArrayList<>();
		tree.json().get("items").forEach(n -> depths.add(n.get("project").get("id").asString() + "@" + n.get("depth").asInt()));
		assertThat(depths).containsExactly(child + "@1", grandchild + "@2", sibling + "@1");

		Http.Response firstPage = http.get("/projects/" + original + "/forks?limit=2", user.token()).assertStatus(200);
		assertThat(firstPage.json().get("items")).hasSize(2);
		Http.Response secondPage = http.get("/projects/" + original + "/forks?limit=2&cursor="
				+ firstPage.json().get("nextCursor").asString(), user.token()).assertStatus(200);
		assertThat(secondPage.json().get("items").get(0).get("project").get("id").asString()).isEqualTo(sibling.toString());
		assertThat(secondPage.json().get("nextCursor").isNull()).isTrue();
	}

	@Test
	void strangersCannotSeeOrForkPrivateProjectsButCanForkPublicOnes() {
		TestUser owner = register();
		TestUser stranger = register();
		UUID secret = createProject(owner, "secret", "private");
		UUID open = createProject(owner, "open", "public");
		UUID unlisted = createProject(owner, "by link", "unlisted");

		http.get("/projects/" + secret, stranger.token()).assertProblem(404, "project_not_found");
		http.post("/projects/" + secret + "/fork", stranger.token(), "{\"workspaceId\":\"" + stranger.workspaceId() + "\"}")
			.assertProblem(404, "project_not_found");
		http.get("/projects/" + secret + "/lineage", stranger.token()).assertProblem(404, "project_not_found");

		UUID strangerFork = fork(stranger, open);
		UUID unlistedFork = fork(stranger, unlisted);
		assertThat(http.get("/projects/" + strangerFork, stranger.token()).json().get("workspaceId").asString())
			.isEqualTo(stranger.workspaceId().toString());
		// The stranger's private fork of a public project is not listed to its owner.
		assertThat(http.get("/projects/" + open + "/forks", owner.token()).json().get("items")).isEmpty();
		assertThat(http.get("/projects/" + open + "/forks", stranger.token()).json().get("items")).hasSize(1);
		assertThat(http.get("/projects/" + unlistedFork, stranger.token()).uuid("rootProjectId")).isEqualTo(unlisted);

		// Forking into a workspace the caller does not belong to is refused as if it did not exist.
		http.post("/projects/" + open + "/fork", stranger.token(), "{\"workspaceId\":\"" + owner.workspaceId() + "\"}")
			.assertProblem(404, "workspace_not_found");
		// A public project can be read but not changed by strangers.
		http.post("/projects/" + open + "/commits", stranger.token(), "{\"message\":\"x\",\"timeline\":{\"scenes\":[]}}")
			.assertProblem(403, "insufficient_role");
		assertThat(db.sql("SELECT fork_count FROM projects WHERE id = :id").param("id", secret).query(Integer.class).single())
			.isZero();
	}

	@Test
	void lineageHidesAncestorsTheCallerCannotRead() {
		TestUser owner = register();
		TestUser member = register();
		addMember(owner, owner.workspaceId(), member, "editor");
		UUID secret = createProject(owner, "team secret", "private");
		UUID forkOfSecret = fork(member, secret);
		http.delete("/workspaces/" + owner.workspaceId() + "/members/" + member.userId(), owner.token()).assertStatus(204);

		JsonNode lineage = http.get("/projects/" + forkOfSecret + "/lineage", member.token()).assertStatus(200).json();
		assertThat(lineage.get("ancestors").get(0).get("hidden").asBoolean()).isTrue();
		assertThat(lineage.get("ancestors").get(0).get("project").isNull()).isTrue();
		assertThat(lineage.toString()).doesNotContain("team secret");
	}

	@Test
	void tenConcurrentForksKeepAnExactForkCount() throws Exception {
		TestUser owner = register();
		UUID original = createProject(owner, "popular", "public");
		List<TestUser> forkers = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			forkers.add(register());
		}
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Http.Response>> results = new ArrayList<>();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (TestUser forker : forkers) {
				results.add(pool.submit(() -> {
					start.await();
					return http.post("/projects/" + original + "/fork", forker.token(),
							"{\"workspaceId\":\"" + forker.workspaceId() + "\"}");
				}));
			}
			start.countDown();
		}
		for (Future<Http.Response> result : results) {
			result.get().assertStatus(201);
		}
		assertThat(http.get("/projects/" + original, owner.token()).json().get("forkCount").asInt()).isEqualTo(10);
		assertThat(db.sql("SELECT count(*) FROM project_fork_events WHERE source_project_id = :p").param("p", original)
			.query(Long.class).single()).isEqualTo(10);
		assertThat(db.sql("SELECT count(*) FROM projects WHERE parent_project_id = :p").param("p", original)
			.query(Long.class).single()).isEqualTo(10);
	}

	private static List<String> messages(Http.Response response) {
		response.assertStatus(200);
		List<String> messages = new ArrayList<>();
		response.json().get("items").forEach(c -> messages.add(c.get("message").asString()));
		return messages;
	}

}
