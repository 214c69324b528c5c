package dev.phork.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Workspaces and members: viewers read, editors write, owners invite and manage members, anyone leaves. */
class WorkspaceTest extends ApiTest {

	@Test
	void createListAndInviteMembersWithRoles() {
		TestUser owner = register();
		Http.Response created = http.post("/workspaces", owner.token(), "{\"name\":\"Studio\"}").assertStatus(201);
		UUID studio = created.uuid("id");
		assertThat(created.json().get("role").asString()).isEqualTo("owner");
		assertThat(http.get("/credits/balance?workspaceId=" + studio, owner.token()).json().get("balance").asLong()).isZero();

		Http.Response mine = http.get("/workspaces", owner.token()).assertStatus(200);
		assertThat(mine.json().get("items")).hasSize(2);

		TestUser editor = register();
		TestUser viewer = register();
		addMember(owner, studio, editor, "editor");
		addMember(owner, studio, viewer, "viewer");
		assertThat(http.get("/workspaces/" + studio, viewer.token()).json().get("role").asString()).isEqualTo("viewer");
		http.post("/workspaces/" + studio + "/invitations", owner.token(),
				"{\"email\":\"" + viewer.email() + "\",\"role\":\"editor\"}").assertProblem(409, "already_member");
		http.post("/workspaces/" + studio + "/members", owner.token(),
				"{\"email\":\"" + viewer.email().toUpperCase() + "\",\"role\":\"editor\"}").assertProblem(409, "already_member");
		http.post("/workspaces/" + studio + "/invitations", owner.token(),
				"{\"email\":\"" + register().email() + "\",\"role\":\"king\"}").assertProblem(400, "invalid_role");
		http.post("/workspaces/" + studio + "/invitations", owner.token(), "{\"email\":\"not an email\",\"role\":\"viewer\"}")
			.assertProblem(400, "validation_failed");

		Http.Response members = http.get("/workspaces/" + studio + "/members", viewer.token()).assertStatus(200);
		assertThat(members.json().get("items")).hasSize(3);
		assertThat(http.get("/workspaces/" + studio, viewer.token()).json().get("role").asString()).isEqualTo("viewer");

		// Editors write, but do not manage members.
		http.post("/projects", editor.token(), "{\"workspaceId\":\"" + studio + "\",\"name\":\"by editor\"}").assertStatus(201);
		http.post("/workspaces/" + studio + "/members", editor.token(),
				"{\"email\":\"" + register().email() + "\",\"role\":\"viewer\"}").assertProblem(403, "insufficient_role");
		http.post("/workspaces/" + studio + "/invitations", editor.token(),
				"{\"email\":\"" + register().email() + "\",\"role\":\"viewer\"}").assertProblem(403, "insufficient_role");
		http.get("/workspaces/" + studio + "/invitations", editor.token()).assertProblem(403, "insufficient_role");
		http.post("/projects", viewer.token(), "{\"workspaceId\":\"" + studio + "\",\"name\":\"by viewer\"}")
			.assertProblem(403, "insufficient_role");
		assertThat(http.get("/projects?workspaceId=" + studio, viewer.token()).json().get("items")).hasSize(1);

		// Promote, then demote.
		Http.Response promoted = http.patch("/workspaces/" + studio + "/members/" + viewer.userId(), owner.token(),
				"{\"role\":\"editor\"}").assertStatus(200);
		assertThat(promoted.json().get("role").asString()).isEqualTo("editor");
	}

	@Test
	void aWorkspaceAlwaysKeepsAnOwner() {
		TestUser owner = register();
		UUID ws = owner.workspaceId();
		http.delete("/workspaces/" + ws + "/members/" + owner.userId(), owner.token()).assertProblem(409, "last_owner");
		http.patch("/workspaces/" + ws + "/members/" + owner.userId(), owner.token(), "{\"role\":\"viewer\"}")
			.assertProblem(409, "last_owner");
		TestUser second = register();
		addMember(owner, ws, second, "owner");
		http.delete("/workspaces/" + ws + "/members/" + owner.userId(), owner.token()).assertStatus(204);
		assertThat(http.get("/workspaces/" + ws, owner.token()).status()).isEqualTo(404);
		assertThat(db.sql("SELECT count(*) FROM workspace_members WHERE workspace_id = :w AND role = 'owner'")
			.param("w", ws).query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void membersOfAnyRoleMayLeaveAndStrangersSeeNothing() {
		TestUser owner = register();
		TestUser viewer = register();
		TestUser editor = register();
		TestUser coOwner = register();
		TestUser stranger = register();
		UUID ws = owner.workspaceId();
		addMember(owner, ws, viewer, "viewer");
		addMember(owner, ws, editor, "editor");
		addMember(owner, ws, coOwner, "owner");
		http.delete("/workspaces/" + ws + "/members/" + owner.userId(), viewer.token()).assertProblem(403, "insufficient_role");
		http.delete("/workspaces/" + ws + "/members/" + owner.userId(), editor.token()).assertProblem(403, "insufficient_role");
		for (TestUser leaving : new TestUser[] { viewer, editor, coOwner }) {
			http.delete("/workspaces/" + ws + "/members/" + leaving.userId(), leaving.token()).assertStatus(204);
			http.get("/workspaces/" + ws, leaving.token()).assertProblem(404, "workspace_not_found");
			http.get("/credits/balance?workspaceId=" + ws, leaving.token()).assertProblem(404, "workspace_not_found");
		}
		// The last owner stays: a workspace is never left with no one to manage it.
		http.delete("/workspaces/" + ws + "/members/" + owner.userId(), owner.token()).assertProblem(409, "last_owner");
		assertThat(db.sql("SELECT count(*) FROM workspace_members WHERE workspace_id = :w").param("w", ws)
			.query(Long.class).single()).isEqualTo(1);

		http.get("/workspaces/" + ws, stranger.token()).assertProblem(404, "workspace_not_found");
		http.get("/workspaces/" + ws + "/members", stranger.token()).assertProblem(404, "workspace_not_found");
		http.get("/workspaces/" + ws + "/invitations", stranger.token()).assertProblem(404, "workspace_not_found");
		http.get("/credits/balance?workspaceId=" + ws, stranger.token()).assertProblem(404, "workspace_not_found");
		http.get("/credits/ledger?workspaceId=" + ws, stranger.token()).assertProblem(404, "workspace_not_found");
		http.get("/projects?workspaceId=" + ws, stranger.token()).assertProblem(404, "workspace_not_found");
	}

}
