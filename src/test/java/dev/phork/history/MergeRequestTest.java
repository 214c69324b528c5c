package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A merge request's whole life over HTTP, and who may do what with it. */
class MergeRequestTest extends HistoryApiTest {

	static final String THREE = "[{\"prompt\":\"one\"},{\"prompt\":\"two\"},{\"prompt\":\"three\"}]";

	@Test
	void aMergeRequestsFullLife() {
		TestUser alice = register();
		TestUser bob = register();
		TestUser carol = register();
		UUID target = createProject(alice, "public film", "public");
		commit(alice, target, "three", THREE);
		UUID fork = fork(bob, target);
		edit(bob, fork, "bob edits one", t -> prompt(t, 0, "one, by bob"));

		JsonNode created = open(bob, target, fork, "Better opening").assertStatus(201).json();
		assertThat(created.get("status").asString()).isEqualTo("open");
		assertThat(created.get("createdBy").asString()).isEqualTo(bob.userId().toString());
		String id = created.get("id").asString();

		// Whoever reads the target reads the request: the diff, no conflicts, the plan's cost after merging.
		JsonNode detail = http.get("/merge-requests/" + id, carol.token()).assertStatus(200).json();
		assertThat(detail.get("request").get("title").asString()).isEqualTo("Better opening");
		assertThat(detail.get("diff").get("scenes").get("modified")).hasSize(1);
		assertThat(detail.get("diff").get("scenes").get("modified").get(0).get("fields").get(0).asString()).isEqualTo("prompt");
		assertThat(detail.get("conflicts")).isEmpty();
		assertThat(detail.get("mergeable").asBoolean()).isTrue();
		long planCost = detail.get("planCost").asLong();
		assertThat(planCost).isPositive();

		assertThat(http.get("/projects/" + target + "/merge-requests", carol.token()).assertStatus(200).json().get("items"))
			.hasSize(1);
		assertThat(http.get("/merge-requests?targetProjectId=" + target, alice.token()).assertStatus(200).json().get("items"))
			.hasSize(1);
		assertThat(http.get("/merge-requests?sourceProjectId=" + fork, bob.token()).assertStatus(200).json().get("items")
			.get(0).get("id").asString()).isEqualTo(id);
		http.get("/merge-requests?sourceProjectId=" + fork, carol.token()).assertStatus(404);
		http.get("/projects/" + target + "/merge-requests?status=merged", alice.token()).assertStatus(200);

		http.post("/merge-requests/" + id + "/comments", bob.token(), "{\"body\":\"Please have a look\"}").assertStatus(201);
		http.post("/merge-requests/" + id + "/comments", alice.token(), "{\"body\":\"Looks good\"}").assertStatus(201);
		http.post("/merge-requests/" + id + "/comments", carol.token(), "{\"body\":\"spam\"}").assertStatus(403);
		JsonNode comments = http.get("/merge-requests/" + id + "/comments", carol.token()).assertStatus(200).json();
		assertThat(comments.get("items")).hasSize(2);
		assertThat(comments.get("items").get(0).get("body").asString()).isEqualTo("Please have a look");

		http.post("/merge-requests/" + id + "/merge", carol.token(), "{}").assertProblem(403, "insufficient_role");
		http.post("/merge-requests/" + id + "/merge", bob.token(), "{}").assertProblem(403, "insufficient_role");
		JsonNode merged = http.post("/merge-requests/" + id + "/merge", alice.token(), "{}").assertStatus(200).json();
		assertThat(merged.get("status").asString()).isEqualTo("merged");
		assertThat(merged.get("finishedBy").asString()).isEqualTo(alice.userId().toString());
		JsonNode head = head(alice, target);
		assertThat(merged.get("mergeCommitId").asString()).isEqualTo(head.get("id").asString());
		assertThat(head.get("mergeParentId").asString()).isEqualTo(head(bob, fork).get("id").asString());
		assertThat(prompts(head)).containsExactly("one, by bob", "two", "three");
		assertThat(http.get("/projects/" + target + "/plan", alice.token()).json().get("totalCost").asLong())
			.isEqualTo(planCost);

		// Merged is final.
		http.post("/merge-requests/" + id + "/comments", alice.token(), "{\"body\":\"late\"}")
			.assertProblem(409, "merge_request_not_open");
		http.post("/merge-requests/" + id + "/close", alice.token(), null).assertProblem(409, "merge_request_not_open");
		http.post("/merge-requests/" + id + "/merge", alice.token(), "{}").assertProblem(409, "merge_request_not_open");
		assertThatThrownBy(() -> db.sql("UPDATE merge_requests SET title = 'changed' WHERE id = CAST(:id AS uuid)")
			.param("id", id).update()).hasMessageContaining("cannot change");
		assertThatThrownBy(() -> db.sql("""
				INSERT INTO merge_request_comments (id, merge_request_id, author_id, body)
				VALUES (gen_random_uuid(), CAST(:id AS uuid), :author, 'x')""").param("id", id).param("author", alice.userId())
			.update()).hasMessageContaining("no longer open");
		assertThat(http.get("/merge-requests/" + id, carol.token()).json().get("request").get("status").asString())
			.isEqualTo("merged");
	}

	@Test
	void aConflictingRequestStaysOpenUntilAResolutionMergesIt() {
		TestUser alice = register();
		TestUser bob = register();
		UUID target = createProject(alice, "public film", "public");
		commit(alice, target, "three", THREE);
		UUID fork = fork(bob, target);
		edit(bob, fork, "bob", t -> prompt(t, 1, "two, by bob"));
		edit(alice, target, "alice", t -> prompt(t, 1, "two, by alice"));
		String id = open(bob, target, fork, "Scene two").assertStatus(201).json().get("id").asString();

		JsonNode detail = http.get("/merge-requests/" + id, alice.token()).assertStatus(200).json();
		assertThat(detail.get("mergeable").asBoolean()).isFalse();
		assertThat(detail.get("planCost").isNull()).isTrue();
		String path = detail.get("conflicts").get(0).get("path").asString();
		assertThat(detail.get("conflicts")).hasSize(1);

		String headBefore = head(alice, target).get("id").asString();
		http.post("/merge-requests/" + id + "/merge", alice.token(), "{}").assertProblem(409, "merge_conflict");
		assertThat(head(alice, target).get("id").asString()).isEqualTo(headBefore);
		assertThat(http.get("/merge-requests/" + id, alice.token()).json().get("request").get("status").asString())
			.isEqualTo("open");
		JsonNode merged = http.post("/merge-requests/" + id + "/merge", alice.token(),
				"{\"resolutions\":[{\"path\":\"" + path + "\",\"take\":\"theirs\"}]}").assertStatus(200).json();
		assertThat(merged.get("status").asString()).isEqualTo("merged");
		assertThat(prompts(head(alice, target)).get(1)).isEqualTo("two, by bob");
	}

	@Test
	void aClosedRequestCannotBeMergedAndStrangersOpenNoneOnPrivateProjects() {
		TestUser alice = register();
		TestUser bob = register();
		UUID target = createProject(alice, "public film", "public");
		commit(alice, target, "three", THREE);
		UUID fork = fork(bob, target);
		edit(bob, fork, "bob", t -> prompt(t, 2, "three, by bob"));
		String id = open(bob, target, fork, "Maybe").assertStatus(201).json().get("id").asString();
		JsonNode closed = http.post("/merge-requests/" + id + "/close", bob.token(), null).assertStatus(200).json();
		assertThat(closed.get("status").asString()).isEqualTo("closed");
		http.post("/merge-requests/" + id + "/merge", alice.token(), "{}").assertProblem(409, "merge_request_not_open");
		assertThat(prompts(head(alice, target)).get(2)).isEqualTo("three");

		UUID secret = createProject(alice, "secret", "private");
		open(bob, secret, fork, "Let me in").assertStatus(404);
		UUID unrelated = createProject(bob, "unrelated", "private");
		open(bob, target, unrelated, "Nothing shared").assertProblem(422, "no_shared_history");
		http.get("/merge-requests/" + UUID.randomUUID(), bob.token()).assertProblem(404, "merge_request_not_found");
	}

	private dev.phork.Http.Response open(TestUser user, UUID target, UUID source, String title) {
		return http.post("/projects/" + target + "/merge-requests", user.token(),
				"{\"sourceProjectId\":\"" + source + "\",\"title\":\"" + title + "\"}");
	}

}
