package dev.phork.identity;

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

/**
 * Membership is an invitation the invitee accepts. Before, an owner added any registered user,
 * as owner, without asking: throwaway accounts pulled a main account into their workspaces, and
 * anyone could be made a member of anything.
 */
class InvitationTest extends ApiTest {

	@Test
	void addingAMemberOnlyInvitesThem() {
		TestUser throwaway = register();
		TestUser main = register();
		Http.Response invited = http.post("/workspaces/" + throwaway.workspaceId() + "/members", throwaway.token(),
				"{\"email\":\"" + main.email() + "\",\"role\":\"owner\"}").assertStatus(201);

		// Not a member until they accept: they see nothing of it, and cannot spend its credits.
		assertThat(memberRows(throwaway.workspaceId(), main.userId())).isZero();
		http.get("/workspaces/" + throwaway.workspaceId(), main.token()).assertProblem(404, "workspace_not_found");
		assertThat(http.get("/workspaces", main.token()).json().get("items")).hasSize(1);
		assertThat(http.get("/workspaces/" + throwaway.workspaceId() + "/members", throwaway.token()).json().get("items"))
			.hasSize(1);
		submit(main, "gen-image", "{\"workspaceId\":\"" + throwaway.workspaceId() + "\",\"prompt\":\"ok:pooled\","
				+ "\"provider\":\"scripted\"}").assertProblem(404, "workspace_not_found");
		assertThat(balance(throwaway.workspaceId())).isEqualTo(1000);

		JsonNode invitation = invited.json();
		assertThat(invitation.get("status").asString()).isEqualTo("pending");
		assertThat(invitation.get("role").asString()).isEqualTo("owner");
		assertThat(invitation.get("email").asString()).isEqualTo(main.email());
		assertThat(invitation.get("workspaceId").asString()).isEqualTo(throwaway.workspaceId().toString());
		assertThat(invitation.get("invitedBy").get("userId").asString()).isEqualTo(throwaway.userId().toString());
		assertThat(invitation.get("expiresAt").asString()).isNotBlank();

		// The invitee sees it, and only accepting makes them a member, with the invited role.
		JsonNode mine = http.get("/invitations", main.token()).assertStatus(200).json().get("items");
		assertThat(mine).hasSize(1);
		assertThat(mine.get(0).get("id").asString()).isEqualTo(invitation.get("id").asString());
		assertThat(mine.get(0).get("workspaceName").asString()).isEqualTo(invitation.get("workspaceName").asString());
		JsonNode membership = http.post("/invitations/" + invitation.get("id").asString() + "/accept", main.token(), null)
			.assertStatus(200).json();
		assertThat(membership.get("workspaceId").asString()).isEqualTo(throwaway.workspaceId().toString());
		assertThat(membership.get("userId").asString()).isEqualTo(main.userId().toString());
		assertThat(membership.get("role").asString()).isEqualTo("owner");
		assertThat(memberRows(throwaway.workspaceId(), main.userId())).isEqualTo(1);
		assertThat(http.get("/workspaces/" + throwaway.workspaceId(), main.token()).json().get("role").asString())
			.isEqualTo("owner");
		assertThat(http.get("/invitations", main.token()).json().get("items")).isEmpty();
	}

	@Test
	void throwawayCreditsReachNoOneWithoutConsent() {
		TestUser main = register();
		List<TestUser> throwaways = List.of(register(), register(), register());
		for (TestUser throwaway : throwaways) {
			http.post("/workspaces/" + throwaway.workspaceId() + "/members", throwaway.token(),
					"{\"email\":\"" + main.email() + "\",\"role\":\"owner\"}").assertStatus(201);
		}
		for (TestUser throwaway : throwaways) {
			submit(main, "gen-image", "{\"workspaceId\":\"" + throwaway.workspaceId() + "\",\"prompt\":\"ok:farm\","
					+ "\"provider\":\"scripted\"}").assertProblem(404, "workspace_not_found");
			assertThat(balance(throwaway.workspaceId())).isEqualTo(1000);
			assertThat(memberRows(throwaway.workspaceId(), main.userId())).isZero();
		}
		JsonNode invitations = http.get("/invitations", main.token()).json().get("items");
		assertThat(invitations).hasSize(3);
		for (JsonNode invitation : invitations) {
			http.post("/invitations/" + invitation.get("id").asString() + "/decline", main.token(), null).assertStatus(204);
		}
		assertThat(http.get("/invitations", main.token()).json().get("items")).isEmpty();
		assertThat(http.get("/workspaces", main.token()).json().get("items")).hasSize(1);

		// Accepting is the consent, and even then credits stay in the workspace that holds them:
		// jobs run on the throwaway's account, the main workspace's balance never grows.
		TestUser consented = throwaways.getFirst();
		addMember(consented, consented.workspaceId(), main, "editor");
		submit(main, "gen-image", "{\"workspaceId\":\"" + consented.workspaceId() + "\",\"prompt\":\"ok:consented\","
				+ "\"provider\":\"scripted\"}").assertStatus(201);
		assertThat(balance(consented.workspaceId())).isEqualTo(997);
		assertThat(balance(main.workspaceId())).isEqualTo(1000);
		assertThat(ledgerSum(main.workspaceId())).isEqualTo(1000);
		assertThat(db.sql("SELECT count(*) FROM credit_ledger WHERE workspace_id = :w").param("w", main.workspaceId())
			.query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void onlyTheInviteeAnswers() {
		TestUser owner = register();
		TestUser invitee = register();
		TestUser stranger = register();
		TestUser editor = register();
		addMember(owner, owner.workspaceId(), editor, "editor");
		UUID invitation = invite(owner, owner.workspaceId(), invitee.email(), "editor");

		for (TestUser other : List.of(stranger, owner, editor)) {
			http.post("/invitations/" + invitation + "/accept", other.token(), null).assertProblem(404, "invitation_not_found");
			http.post("/invitations/" + invitation + "/decline", other.token(), null).assertProblem(404, "invitation_not_found");
			assertThat(http.get("/invitations", other.token()).json().get("items")).isEmpty();
		}
		http.delete("/workspaces/" + owner.workspaceId() + "/invitations/" + invitation, stranger.token())
			.assertProblem(404, "workspace_not_found");
		http.delete("/workspaces/" + owner.workspaceId() + "/invitations/" + invitation, editor.token())
			.assertProblem(403, "insufficient_role");
		http.delete("/workspaces/" + owner.workspaceId() + "/invitations/" + invitation, invitee.token())
			.assertProblem(404, "workspace_not_found");
		http.get("/workspaces/" + owner.workspaceId() + "/invitations", invitee.token()).assertProblem(404, "workspace_not_found");
		// Another workspace's owner cannot reach it through their own workspace.
		http.delete("/workspaces/" + stranger.workspaceId() + "/invitations/" + invitation, stranger.token())
			.assertProblem(404, "invitation_not_found");
		assertThat(db.sql("SELECT status FROM workspace_invitations WHERE id = :id").param("id", invitation)
			.query(String.class).single()).isEqualTo("pending");
		assertThat(memberRows(owner.workspaceId(), stranger.userId())).isZero();

		http.post("/invitations/" + invitation + "/accept", invitee.token(), null).assertStatus(200);
	}

	@Test
	void acceptDeclineAndRevokeEachCloseAnInvitationOnce() {
		TestUser owner = register();
		UUID ws = owner.workspaceId();
		TestUser accepter = register();
		TestUser decliner = register();
		TestUser revoked = register();

		UUID accepted = invite(owner, ws, accepter.email(), "editor");
		http.post("/invitations/" + accepted + "/accept", accepter.token(), null).assertStatus(200);
		assertInvitationClosed(http.post("/invitations/" + accepted + "/accept", accepter.token(), null), "accepted");
		assertInvitationClosed(http.post("/invitations/" + accepted + "/decline", accepter.token(), null), "accepted");
		assertInvitationClosed(http.delete("/workspaces/" + ws + "/invitations/" + accepted, owner.token()), "accepted");
		assertThat(memberRows(ws, accepter.userId())).isEqualTo(1);

		UUID declined = invite(owner, ws, decliner.email(), "viewer");
		http.post("/invitations/" + declined + "/decline", decliner.token(), null).assertStatus(204);
		assertInvitationClosed(http.post("/invitations/" + declined + "/accept", decliner.token(), null), "declined");
		assertThat(memberRows(ws, decliner.userId())).isZero();

		UUID pending = invite(owner, ws, revoked.email(), "owner");
		assertThat(http.post("/workspaces/" + ws + "/invitations", owner.token(),
				"{\"email\":\"" + revoked.email() + "\",\"role\":\"viewer\"}").assertProblem(409, "already_invited")
			.json().get("invitationId").asString()).isEqualTo(pending.toString());
		JsonNode listed = http.get("/workspaces/" + ws + "/invitations", owner.token()).assertStatus(200).json().get("items");
		assertThat(listed).hasSize(1);
		assertThat(listed.get(0).get("id").asString()).isEqualTo(pending.toString());
		assertThat(listed.get(0).get("email").asString()).isEqualTo(revoked.email());
		http.delete("/workspaces/" + ws + "/invitations/" + pending, owner.token()).assertStatus(204);
		assertInvitationClosed(http.delete("/workspaces/" + ws + "/invitations/" + pending, owner.token()), "revoked");
		assertInvitationClosed(http.post("/invitations/" + pending + "/accept", revoked.token(), null), "revoked");
		assertThat(http.get("/invitations", revoked.token()).json().get("items")).isEmpty();
		assertThat(http.get("/workspaces/" + ws + "/invitations", owner.token()).json().get("items")).isEmpty();
		assertThat(memberRows(ws, revoked.userId())).isZero();

		// A declined or revoked invitation does not stop a new one.
		UUID again = invite(owner, ws, revoked.email(), "viewer");
		assertThat(http.post("/invitations/" + again + "/accept", revoked.token(), null).assertStatus(200).json().get("role")
			.asString()).isEqualTo("viewer");
	}

	@Test
	void anExpiredInvitationCannotBeAcceptedAndMakesRoomForANewOne() {
		TestUser owner = register();
		TestUser invitee = register();
		UUID stale = invite(owner, owner.workspaceId(), invitee.email(), "editor");
		db.sql("UPDATE workspace_invitations SET created_at = now() - interval '8 days', expires_at = now() - interval '1 day' WHERE id = :id")
			.param("id", stale).update();
		assertThat(http.get("/invitations", invitee.token()).json().get("items")).isEmpty();
		assertThat(http.get("/workspaces/" + owner.workspaceId() + "/invitations", owner.token()).json().get("items")).isEmpty();
		assertInvitationClosed(http.post("/invitations/" + stale + "/accept", invitee.token(), null), "expired");
		assertThat(memberRows(owner.workspaceId(), invitee.userId())).isZero();

		UUID fresh = invite(owner, owner.workspaceId(), invitee.email(), "editor");
		http.post("/invitations/" + fresh + "/accept", invitee.token(), null).assertStatus(200);
		assertInvitationClosed(http.post("/invitations/" + stale + "/accept", invitee.token(), null), "expired");
	}

	@Test
	void inviteesOfUnknownEmailsGetTheSameAnswerAndFindItAfterRegistering() {
		TestUser owner = register();
		TestUser registered = register();
		String unregistered = "later-" + UUID.randomUUID() + "@example.com";
		Http.Response known = http.post("/workspaces/" + owner.workspaceId() + "/invitations", owner.token(),
				"{\"email\":\"" + registered.email() + "\",\"role\":\"viewer\"}").assertStatus(201);
		Http.Response unknown = http.post("/workspaces/" + owner.workspaceId() + "/invitations", owner.token(),
				"{\"email\":\"" + unregistered.toUpperCase() + "\",\"role\":\"viewer\"}").assertStatus(201);
		// The same shape and status either way: an owner cannot tell which addresses have accounts.
		assertThat(fieldNames(unknown.json())).isEqualTo(fieldNames(known.json()));
		assertThat(unknown.json().get("status").asString()).isEqualTo("pending");
		assertThat(unknown.json().get("email").asString()).isEqualTo(unregistered);

		Http.Response signedUp = http.post("/auth/register", null,
				"{\"email\":\"" + unregistered + "\",\"password\":\"correct horse battery\"}").assertStatus(201);
		String token = signedUp.json().get("token").asString();
		JsonNode waiting = http.get("/invitations", token).assertStatus(200).json().get("items");
		assertThat(waiting).hasSize(1);
		assertThat(waiting.get(0).get("id").asString()).isEqualTo(unknown.json().get("id").asString());
		http.post("/invitations/" + unknown.json().get("id").asString() + "/accept", token, null).assertStatus(200);
		assertThat(http.get("/workspaces/" + owner.workspaceId(), token).json().get("role").asString()).isEqualTo("viewer");
	}

	@Test
	void concurrentAcceptsMakeOneMembership() throws Exception {
		TestUser owner = register();
		TestUser invitee = register();
		UUID invitation = invite(owner, owner.workspaceId(), invitee.email(), "editor");
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Http.Response>> results = new ArrayList<>();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 8; i++) {
				String answer = i % 2 == 0 ? "accept" : "decline";
				results.add(pool.submit(() -> {
					start.await();
					return http.post("/invitations/" + invitation + "/" + answer, invitee.token(), null);
				}));
			}
			start.countDown();
		}
		int answered = 0;
		for (Future<Http.Response> result : results) {
			Http.Response response = result.get();
			if (response.status() == 200 || response.status() == 204) {
				answered++;
			}
			else {
				response.assertProblem(409, "invitation_not_pending");
			}
		}
		assertThat(answered).isEqualTo(1);
		String status = db.sql("SELECT status FROM workspace_invitations WHERE id = :id").param("id", invitation)
			.query(String.class).single();
		assertThat(memberRows(owner.workspaceId(), invitee.userId())).isEqualTo(status.equals("accepted") ? 1 : 0);
	}

	private long memberRows(UUID workspaceId, UUID userId) {
		return db.sql("SELECT count(*) FROM workspace_members WHERE workspace_id = :w AND user_id = :u")
			.param("w", workspaceId).param("u", userId).query(Long.class).single();
	}

	private static void assertInvitationClosed(Http.Response response, String status) {
		response.assertProblem(409, "invitation_not_pending");
		assertThat(response.json().get("invitationStatus").asString()).isEqualTo(status);
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new ArrayList<>(node.propertyNames());
		names.sort(null);
		return names;
	}

}
