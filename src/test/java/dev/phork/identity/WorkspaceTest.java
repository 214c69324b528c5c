package dev.phork.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Workspaces and members: viewers read, editors write, owners manage members. */
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
		http.post("/workspaces/" + studio + "/members", owner.token(),
				"{\"email\":\"" + editor.email() + "\",\"role\":\"editor\"}").assertStatus(201);
		Http.Response added = http.post("/workspaces/" + studio + "/members", owner.token(),
				"{\"email\":\"" + viewer.email() + "\",\"role\":\"viewer\"}").assertStatus(201);
		assertThat(added.json().get("role").asString()).isEqualTo("viewer");
		http.post("/workspaces/" + studio + "/members", owner.token(),
				"{\"email\":\"" + viewer.email() + "\",\"role\":\"editor\"}").assertProblem(409, "already_member");
		http.post("/workspaces/" + studio + "/members", owner.token(),
				"{\"email\":\"ghost-" + UUID.randomUUID() + "@example.com\",\"role\":\"editor\"}")
			.assertProblem(422, "user_not_found");
		http.post("/workspaces/" + studio + "/members", owner.token(),
				"{\"email\":\"" + viewer.email() + "\",\"role\":\"king\"}").assertProblem(400, "invalid_role");

		Http.Response members = http.get("/workspaces/" + studio + "/members", viewer.token()).assertStatus(200);
		assertThat(members.json().get("items")).hasSize(3);
		assertThat(http.get("/workspaces/" + studio, viewer.token()).json().get("role").asString()).isEqualTo("viewer");

		// Editors write, but do not manage members.
		http.post("/projects", editor.token(), "{\"workspaceId\":\"" + studio + "\",\"name\":\"by editor\"}").assertStatus(201);
		http.post("/workspaces/" + studio + "/members", editor.token(),
				"{\"email\":\"" + register().email() + "\",\"role\":\"viewer\"}").assertProblem(403, "insufficient_role");
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
		http.post("/workspaces/" + ws + "/members", owner.token(), "{\"email\":\"" + second.email() + "\",\"role\":\"owner\"}")
			.assertStatus(201);
		http.delete("/workspaces/" + ws + "/members/" + owner.userId(), owner.token()).assertStatus(204);
		assertThat(http.get("/workspaces/" + ws, owner.token()).status()).isEqualTo(404);
		assertThat(db.sql("SELECT count(*) FROM workspace_members WHERE workspace_id = :w AND role = 'owner'")
			.param("w", ws).query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void membersMayLeaveAndStrangersSeeNothing() {
		TestUser owner = register();
		TestUser member = register();
		TestUser stranger = register();
		http.post("/workspaces/" + owner.workspaceId() + "/members", owner.token(),
				"{\"email\":\"" + member.email() + "\",\"role\":\"viewer\"}").assertStatus(201);
		http.delete("/workspaces/" + owner.workspaceId() + "/members/" + owner.userId(), member.token())
			.assertProblem(403, "insufficient_role");
		http.delete("/workspaces/" + owner.workspaceId() + "/members/" + member.userId(), member.token()).assertStatus(204);
		http.get("/workspaces/" + owner.workspaceId(), stranger.token()).assertProblem(404, "workspace_not_found");
		http.get("/workspaces/" + owner.workspaceId() + "/members", stranger.token()).assertProblem(404, "workspace_not_found");
		http.get("/credits/balance?workspaceId=" + owner.workspaceId(), stranger.token()).assertProblem(404, "workspace_not_found");
		http.get("/credits/ledger?workspaceId=" + owner.workspaceId(), stranger.token()).assertProblem(404, "workspace_not_found");
		http.get("/projects?workspaceId=" + owner.workspaceId(), stranger.token()).assertProblem(404, "workspace_not_found");
	}

}
