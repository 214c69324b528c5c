package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Forks cannot exfiltrate a private project (issue 8, item 5): forking a private project needs the
 * editor role in its workspace, and no project may be more visible than a project whose history it
 * shares unless an owner of that project's workspace makes it so.
 */
class ForkVisibilityTest extends ApiTest {

	@Test
	void aViewerCannotForkAPrivateProjectAndAStrangerCannotSeeIt() {
		TestUser owner = register();
		TestUser viewer = register();
		TestUser editor = register();
		TestUser stranger = register();
		addMember(owner, owner.workspaceId(), viewer, "viewer");
		addMember(owner, owner.workspaceId(), editor, "editor");
		UUID secret = createProject(owner, "team secret", "private");

		forkInto(viewer, secret, null).assertProblem(403, "insufficient_role");
		forkInto(stranger, secret, null).assertProblem(404, "project_not_found");
		assertThat(forks(secret)).isZero();
		assertThat(db.sql("SELECT fork_count FROM projects WHERE id = :id").param("id", secret).query(Integer.class).single())
			.isZero();

		forkInto(editor, secret, null).assertStatus(201);
		assertThat(forks(secret)).isEqualTo(1);
	}

	@Test
	void aForkOfAPrivateProjectStaysPrivateUnlessAnOwnerOfTheSourcePublishesIt() {
		TestUser owner = register();
		TestUser editor = register();
		addMember(owner, owner.workspaceId(), editor, "editor");
		UUID secret = createProject(owner, "team secret", "private");

		for (String visibility : new String[] { "public", "unlisted" }) {
			Http.Response refused = forkInto(editor, secret, visibility).assertProblem(403, "visibility_exceeds_source");
			assertThat(refused.body()).doesNotContain("team secret");
		}
		assertThat(forks(secret)).isZero();
		UUID fork = forkInto(editor, secret, null).assertStatus(201).uuid("id");
		http.patch("/projects/" + fork, editor.token(), "{\"visibility\":\"public\"}")
			.assertProblem(403, "visibility_exceeds_source");
		http.patch("/projects/" + fork, editor.token(), "{\"visibility\":\"unlisted\"}")
			.assertProblem(403, "visibility_exceeds_source");
		assertThat(visibility(fork)).isEqualTo("private");
		// Renaming is not publishing.
		http.patch("/projects/" + fork, editor.token(), "{\"name\":\"my copy\",\"visibility\":\"private\"}").assertStatus(200);

		// An owner of the source's workspace may publish a fork, at fork time or later.
		forkInto(owner, secret, "public").assertStatus(201);
		addMember(editor, editor.workspaceId(), owner, "editor");
		http.patch("/projects/" + fork, owner.token(), "{\"visibility\":\"public\"}").assertStatus(200);
		assertThat(visibility(fork)).isEqualTo("public");
		// Making it less visible again is always allowed.
		http.patch("/projects/" + fork, editor.token(), "{\"visibility\":\"private\"}").assertStatus(200);
	}

	@Test
	void aForkOfAForkOfAPrivateProjectAnswersToEveryPrivateAncestor() {
		TestUser owner = register();
		TestUser editor = register();
		TestUser editorsViewer = register();
		addMember(owner, owner.workspaceId(), editor, "editor");
		addMember(editor, editor.workspaceId(), editorsViewer, "viewer");
		UUID secret = createProject(owner, "team secret", "private");
		UUID child = forkInto(editor, secret, null).assertStatus(201).uuid("id");
		UUID grandchild = forkInto(editor, child, null).assertStatus(201).uuid("id");

		// The editor owns the child's workspace, but the grandchild also shares the secret's history.
		http.patch("/projects/" + grandchild, editor.token(), "{\"visibility\":\"public\"}")
			.assertProblem(403, "visibility_exceeds_source");
		forkInto(editor, child, "public").assertProblem(403, "visibility_exceeds_source");
		forkInto(editorsViewer, child, null).assertProblem(403, "insufficient_role");
		assertThat(visibility(grandchild)).isEqualTo("private");

		// Once an owner of the secret's workspace publishes the child, what it shares is public.
		addMember(editor, editor.workspaceId(), owner, "editor");
		http.patch("/projects/" + child, owner.token(), "{\"visibility\":\"public\"}").assertStatus(200);
		http.patch("/projects/" + grandchild, editor.token(), "{\"visibility\":\"public\"}").assertStatus(200);
	}

	@Test
	void aForkOfAnUnlistedProjectCannotBeListedPublicly() {
		TestUser owner = register();
		TestUser stranger = register();
		UUID byLink = createProject(owner, "by link", "unlisted");

		forkInto(stranger, byLink, "public").assertProblem(403, "visibility_exceeds_source");
		UUID fork = forkInto(stranger, byLink, "unlisted").assertStatus(201).uuid("id");
		http.patch("/projects/" + fork, stranger.token(), "{\"visibility\":\"public\"}")
			.assertProblem(403, "visibility_exceeds_source");
		assertThat(visibility(fork)).isEqualTo("unlisted");
	}

	private Http.Response forkInto(TestUser user, UUID source, String visibility) {
		return http.post("/projects/" + source + "/fork", user.token(), "{\"workspaceId\":\"" + user.workspaceId() + "\""
				+ (visibility == null ? "" : ",\"visibility\":\"" + visibility + "\"") + "}");
	}

	private long forks(UUID source) {
		return db.sql("SELECT count(*) FROM projects WHERE parent_project_id = :p").param("p", source)
			.query(Long.class).single();
	}

	private String visibility(UUID project) {
		return db.sql("SELECT visibility FROM projects WHERE id = :p").param("p", project).query(String.class).single();
	}

}
