package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Three-way merges over HTTP: forks come home, upstream work reaches forks, conflicts are answered. */
class MergeTest extends HistoryApiTest {

	static final String FIVE_SCENES = "[{\"prompt\":\"one\"},{\"prompt\":\"two\"},{\"prompt\":\"three\"},"
			+ "{\"prompt\":\"four\"},{\"prompt\":\"five\"}]";

	@Test
	void editsOfDifferentScenesOnBothSidesBothApply() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		UUID fork = fork(user, parent);
		edit(user, fork, "fork edits two", t -> prompt(t, 1, "two, by the fork"));
		edit(user, parent, "parent edits four", t -> prompt(t, 3, "four, upstream"));

		JsonNode merge = merge(user, parent, fork, "").assertStatus(201).json();
		assertThat(merge.get("mergeParentId").asString()).isEqualTo(head(user, fork).get("id").asString());
		assertThat(merge.get("parentCommitId").isNull()).isFalse();
		assertThat(prompts(merge)).containsExactly("one", "two, by the fork", "three", "four, upstream", "five");
		assertThat(head(user, parent).get("id").asString()).isEqualTo(merge.get("id").asString());
	}

	@Test
	void differentEditsOfOneFieldConflictWriteNothingAndAResolutionMerges() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		UUID fork = fork(user, parent);
		UUID other = fork(user, parent);
		String third = head(user, parent).get("timeline").get("scenes").get(2).get("id").asString();
		edit(user, fork, "fork", t -> prompt(prompt(t, 2, "three at night"), 0, "one, forked"));
		edit(user, parent, "parent", t -> prompt(t, 2, "three at noon"));
		String headBefore = head(user, parent).get("id").asString();
		long commitsBefore = commitCount();

		Http.Response conflict = merge(user, parent, fork, "").assertProblem(409, "merge_conflict");
		JsonNode body = conflict.json();
		assertThat(body.get("conflicts")).hasSize(1);
		JsonNode only = body.get("conflicts").get(0);
		assertThat(only.get("path").asString()).isEqualTo("scenes." + third + ".prompt");
		assertThat(only.get("sceneId").asString()).isEqualTo(third);
		assertThat(only.get("base").asString()).isEqualTo("three");
		assertThat(only.get("ours").asString()).isEqualTo("three at noon");
		assertThat(only.get("theirs").asString()).isEqualTo("three at night");
		assertThat(body.get("ours").asString()).isEqualTo(headBefore);
		assertThat(body.get("theirs").asString()).isEqualTo(head(user, fork).get("id").asString());
		assertThat(body.get("base").asString()).isEqualTo(
				http.get("/projects/" + fork, user.token()).json().get("forkCommitId").asString());
		assertThat(head(user, parent).get("id").asString()).isEqualTo(headBefore);
		assertThat(commitCount()).isEqualTo(commitsBefore);

		String path = "scenes." + third + ".prompt";
		JsonNode theirs = merge(user, parent, fork, ",\"resolutions\":[{\"path\":\"" + path + "\",\"take\":\"theirs\"}]")
			.assertStatus(201).json();
		assertThat(prompts(theirs)).containsExactly("one, forked", "two", "three at night", "four", "five");

		edit(user, other, "other", t -> prompt(t, 2, "three at dusk"));
		JsonNode valued = merge(user, parent, other, ",\"resolutions\":[{\"path\":\"" + path
				+ "\",\"value\":\"three, between day and night\"}]").assertStatus(201).json();
		assertThat(prompts(valued).get(2)).isEqualTo("three, between day and night");
	}

	@Test
	void theSameChangeOnBothSidesAppliesOnce() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		UUID fork = fork(user, parent);
		edit(user, fork, "fork", t -> prompt(t, 1, "same words"));
		edit(user, parent, "parent", t -> prompt(t, 1, "same words"));
		assertThat(prompts(merge(user, parent, fork, "").assertStatus(201).json())).containsExactly("one", "same words",
				"three", "four", "five");
	}

	@Test
	void aForkThatInsertedAndReorderedScenesMergesWithUpstreamEdits() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		List<String> ids = sceneIds(head(user, parent));
		UUID fork = http.post("/projects/" + parent + "/fork", user.token(), "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"edits\":{\"scenes\":{\"insert\":[{\"afterId\":\"" + ids.get(1) + "\",\"scene\":{\"prompt\":\"new\"}}],"
				+ "\"order\":[\"" + ids.get(4) + "\",\"" + ids.get(0) + "\",\"" + ids.get(1) + "\",\"" + ids.get(2) + "\",\""
				+ ids.get(3) + "\"]}}}").assertStatus(201).uuid("id");
		// The order lists the kept scenes; the inserted one keeps its place after "two" ... at the end
		List<String> forkPrompts = prompts(head(user, fork));
		assertThat(forkPrompts).contains("new").hasSize(6);
		edit(user, parent, "parent edits three and deletes four", t -> {
			prompt(t, 2, "three, upstream");
			((ArrayNode) t.get("scenes")).remove(3);
		});

		JsonNode merged = merge(user, parent, fork, "").assertStatus(201).json();
		List<String> expected = new ArrayList<>(forkPrompts);
		expected.set(expected.indexOf("three"), "three, upstream");
		expected.remove("four");
		assertThat(prompts(merged)).containsExactlyElementsOf(expected);
		assertThat(prompts(merged).getFirst()).isEqualTo("five");
	}

	@Test
	void reorderingOnOneSideAndEditingOnTheOtherBothApply() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		UUID fork = fork(user, parent);
		edit(user, fork, "reverse", t -> {
			ArrayNode scenes = (ArrayNode) t.get("scenes");
			List<JsonNode> reversed = new ArrayList<>();
			scenes.forEach(reversed::add);
			java.util.Collections.reverse(reversed);
			scenes.removeAll();
			reversed.forEach(scenes::add);
		});
		edit(user, parent, "edit", t -> prompt(t, 0, "one, edited"));
		assertThat(prompts(merge(user, parent, fork, "").assertStatus(201).json())).containsExactly("five", "four", "three",
				"two", "one, edited");
	}

	@Test
	void bothReorderingDifferentlyConflictsAtOrder() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		UUID fork = fork(user, parent);
		edit(user, fork, "swap first two", t -> swap(t, 0, 1));
		edit(user, parent, "swap last two", t -> swap(t, 3, 4));
		JsonNode conflict = merge(user, parent, fork, "").assertProblem(409, "merge_conflict").json();
		assertThat(conflict.get("conflicts")).hasSize(1);
		assertThat(conflict.get("conflicts").get(0).get("path").asString()).isEqualTo("order");
		assertThat(conflict.get("conflicts").get(0).get("sceneId").isNull()).isTrue();
		JsonNode merged = merge(user, parent, fork, ",\"resolutions\":[{\"path\":\"order\",\"take\":\"theirs\"}]")
			.assertStatus(201).json();
		assertThat(prompts(merged)).containsExactly("two", "one", "three", "four", "five");
	}

	@Test
	void settingsAndRegistryMergeFieldByField() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		http.post("/projects/" + parent + "/registry/entries", user.token(),
				"{\"kind\":\"character\",\"name\":\"Anna\",\"description\":\"a sailor\"}").assertStatus(201);
		UUID fork = fork(user, parent);
		edit(user, fork, "fork styles", t -> {
			t.set("settings", json.readTree("{\"style\":\"noir\"}"));
			((ObjectNode) t.get("registry").get(0)).put("description", "a sailor in a red coat");
		});
		edit(user, parent, "parent renames", t -> ((ObjectNode) t.get("registry").get(0)).put("name", "Anna Berg"));
		JsonNode merged = merge(user, parent, fork, "").assertStatus(201).json();
		assertThat(merged.get("timeline").get("settings").get("style").asString()).isEqualTo("noir");
		JsonNode entry = merged.get("timeline").get("registry").get(0);
		assertThat(entry.get("name").asString()).isEqualTo("Anna Berg");
		assertThat(entry.get("description").asString()).isEqualTo("a sailor in a red coat");
	}

	@Test
	void aSceneDeletedOnOneSideAndEditedOnTheOtherConflictsAsAWhole() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		String second = sceneIds(head(user, parent)).get(1);
		UUID fork = fork(user, parent);
		edit(user, fork, "delete two", t -> ((ArrayNode) t.get("scenes")).remove(1));
		edit(user, parent, "edit two", t -> prompt(t, 1, "two, kept"));
		JsonNode conflict = merge(user, parent, fork, "").assertProblem(409, "merge_conflict").json();
		JsonNode only = conflict.get("conflicts").get(0);
		assertThat(only.get("path").asString()).isEqualTo("scenes." + second);
		assertThat(only.get("theirs").isNull()).isTrue();
		assertThat(only.get("ours").get("prompt").asString()).isEqualTo("two, kept");
		JsonNode merged = merge(user, parent, fork,
				",\"resolutions\":[{\"path\":\"scenes." + second + "\",\"value\":null}]").assertStatus(201).json();
		assertThat(prompts(merged)).containsExactly("one", "three", "four", "five");
	}

	@Test
	void upstreamWorkMergesIntoTheForkAndTheNextMergeStartsFromThere() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		UUID fork = fork(user, parent);
		edit(user, fork, "fork edits one", t -> prompt(t, 0, "one, forked"));
		edit(user, parent, "upstream edits five", t -> prompt(t, 4, "five, upstream"));
		JsonNode intoFork = merge(user, fork, parent, "").assertStatus(201).json();
		assertThat(prompts(intoFork)).containsExactly("one, forked", "two", "three", "four", "five, upstream");

		// The fork then edits five again; merging it home uses the fork's merge as the base, so the
		// upstream edit of five is not a conflict with itself.
		edit(user, fork, "fork edits five", t -> prompt(t, 4, "five, upstream, then forked"));
		JsonNode home = merge(user, parent, fork, "").assertStatus(201).json();
		assertThat(prompts(home)).containsExactly("one, forked", "two", "three", "four", "five, upstream, then forked");

		// Nothing left to merge either way once each has the other's head.
		merge(user, parent, fork, "").assertProblem(422, "nothing_to_merge");
	}

	@Test
	void siblingsMergeThroughTheirCommonParent() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		UUID left = fork(user, parent);
		UUID right = fork(user, parent);
		edit(user, left, "left", t -> prompt(t, 0, "one, left"));
		edit(user, right, "right", t -> prompt(t, 4, "five, right"));
		assertThat(prompts(merge(user, left, right, "").assertStatus(201).json())).containsExactly("one, left", "two",
				"three", "four", "five, right");
		UUID stranger = createProject(user, "unrelated", "private");
		merge(user, stranger, left, "").assertProblem(422, "no_shared_history");
	}

	@Test
	void historyListsBothParentsOfAMerge() {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		UUID fork = fork(user, parent);
		String forkCommit = edit(user, fork, "the fork's own work", t -> prompt(t, 0, "one, forked"));
		edit(user, parent, "parent", t -> prompt(t, 1, "two, upstream"));
		JsonNode merge = merge(user, parent, fork, "").assertStatus(201).json();
		JsonNode page = http.get("/projects/" + parent + "/commits?limit=2", user.token()).assertStatus(200).json();
		assertThat(page.get("items").get(0).get("id").asString()).isEqualTo(merge.get("id").asString());
		List<String> all = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode next = http.get("/projects/" + parent + "/commits?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
					user.token()).assertStatus(200).json();
			next.get("items").forEach(c -> all.add(c.get("id").asString()));
			cursor = next.get("nextCursor").isNull() ? null : next.get("nextCursor").asString();
		}
		while (cursor != null);
		assertThat(all).hasSize(5).doesNotHaveDuplicates().contains(forkCommit);
		http.get("/projects/" + parent + "/commits/" + forkCommit, user.token()).assertStatus(200);
	}

	@Test
	void theCallerMustWriteTheTargetAndBeAllowedToShareTheSource() {
		TestUser owner = register();
		TestUser stranger = register();
		UUID parent = createProject(owner, "parent", "public");
		commit(owner, parent, "five scenes", FIVE_SCENES);
		UUID privateFork = fork(owner, parent);
		edit(owner, privateFork, "fork", t -> prompt(t, 0, "private work"));
		// A stranger's own fork of the public project: it cannot see the owner's private fork.
		UUID strangersFork = fork(stranger, parent);
		merge(stranger, strangersFork, privateFork, "").assertProblem(404, "project_not_found");
		// ... and cannot write the owner's project.
		merge(stranger, parent, strangersFork, "").assertStatus(403);
		// A viewer of the private fork's workspace may read it but not bring its history elsewhere.
		TestUser viewer = register();
		addMember(owner, owner.workspaceId(), viewer, "viewer");
		UUID viewersFork = fork(viewer, parent);
		merge(viewer, viewersFork, privateFork, "").assertProblem(403, "insufficient_role");
		// A private project's history cannot flow into a public one unless its workspace's owner does it.
		TestUser editor = register();
		addMember(owner, owner.workspaceId(), editor, "editor");
		UUID editorsPublic = http.post("/projects/" + parent + "/fork", editor.token(), "{\"workspaceId\":\""
				+ editor.workspaceId() + "\",\"visibility\":\"public\"}").assertStatus(201).uuid("id");
		merge(editor, editorsPublic, privateFork, "").assertProblem(403, "visibility_exceeds_source");
		merge(owner, parent, privateFork, "").assertStatus(201);
	}

	@Test
	void concurrentMergesIntoOneHeadLetExactlyOneWin() throws Exception {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		List<UUID> forks = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			UUID fork = fork(user, parent);
			int scene = i % 5;
			edit(user, fork, "fork " + i, t -> prompt(t, scene, "by fork " + scene));
			forks.add(fork);
		}
		String head = head(user, parent).get("id").asString();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Http.Response>> answers = new ArrayList<>();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (UUID fork : forks) {
				answers.add(pool.submit(() -> {
					start.await();
					return merge(user, parent, fork, ",\"parentCommitId\":\"" + head + "\"");
				}));
			}
			start.countDown();
		}
		int won = winners(answers);
		assertThat(won).isEqualTo(1);
		assertThat(db.sql("SELECT count(*) FROM commits WHERE project_id = :p AND merge_parent_id IS NOT NULL")
			.param("p", parent).query(Long.class).single()).isEqualTo(1);
		String merged = db.sql("SELECT id FROM commits WHERE project_id = :p AND merge_parent_id IS NOT NULL")
			.param("p", parent).query(String.class).single();
		assertThat(head(user, parent).get("id").asString()).isEqualTo(merged);
	}

	@Test
	void concurrentMergesWithoutAnExpectedHeadNeverOverwriteEachOther() throws Exception {
		TestUser user = register();
		UUID parent = createProject(user, "parent", "private");
		commit(user, parent, "five scenes", FIVE_SCENES);
		List<UUID> forks = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			UUID fork = fork(user, parent);
			int scene = i;
			edit(user, fork, "fork " + i, t -> prompt(t, scene, "by fork " + scene));
			forks.add(fork);
		}
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Http.Response>> answers = new ArrayList<>();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (UUID fork : forks) {
				answers.add(pool.submit(() -> {
					start.await();
					return merge(user, parent, fork, "");
				}));
			}
			start.countDown();
		}
		int won = winners(answers);
		long merges = db.sql("SELECT count(*) FROM commits WHERE project_id = :p AND merge_parent_id IS NOT NULL")
			.param("p", parent).query(Long.class).single();
		assertThat(merges).isEqualTo(won);
		// The winners form one line: each merge's first parent is the head the previous one left.
		assertThat(db.sql("""
				SELECT count(*) FROM commits a JOIN commits b ON a.parent_commit_id = b.parent_commit_id AND a.id <> b.id
				WHERE a.project_id = :p AND a.merge_parent_id IS NOT NULL AND b.merge_parent_id IS NOT NULL""")
			.param("p", parent).query(Long.class).single()).isZero();
	}

	/** How many of the racing merges made a commit; every other one must be refused as stale. */
	private static int winners(List<Future<Http.Response>> answers) throws Exception {
		int won = 0;
		for (Future<Http.Response> answer : answers) {
			Http.Response response = answer.get();
			if (response.status() == 201) {
				won++;
			}
			else {
				response.assertProblem(409, "stale_parent");
			}
		}
		return won;
	}

}
