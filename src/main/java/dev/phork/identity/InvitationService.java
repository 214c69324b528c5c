package dev.phork.identity;

import dev.phork.common.Ids;
import dev.phork.common.Page;
import dev.phork.common.ProblemException;
import dev.phork.identity.Invitations.Closed;
import dev.phork.identity.Invitations.InvitationView;
import dev.phork.identity.Users.UserRow;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Membership by consent. An owner invites an email with a role; only the holder of that email may
 * accept (becoming a member) or decline. Until then the invitee is no member of anything: they see
 * nothing of the workspace, and nothing they do spends its credits, nor it theirs.
 *
 * <p>An invitation names an email rather than a user, and inviting answers the same for an email
 * with or without an account, so owners cannot probe which addresses are registered; an account
 * registered later with the email finds the invitation waiting. The one answer that depends on the
 * email, {@code already_member}, tells an owner only what the member list already shows them.
 */
@Service
class InvitationService {

	/** The membership an accepted invitation grants. */
	record Membership(UUID workspaceId, String workspaceName, UUID userId, String email, @Nullable String name, Role role) {
	}

	private final Invitations invitations;

	private final Workspaces workspaces;

	private final Users users;

	private final WorkspaceAccess access;

	private final InvitationSettings settings;

	InvitationService(Invitations invitations, Workspaces workspaces, Users users, WorkspaceAccess access,
			InvitationSettings settings) {
		this.invitations = invitations;
		this.workspaces = workspaces;
		this.users = users;
		this.access = access;
		this.settings = settings;
	}

	@Transactional
	InvitationView invite(Caller caller, UUID workspaceId, String rawEmail, Role role) {
		access.require(caller, workspaceId, Role.OWNER);
		String email = Users.normaliseEmail(rawEmail);
		if (invitations.isMember(workspaceId, email)) {
			throw ProblemException.conflict("already_member", "That email belongs to a member of this workspace.");
		}
		UUID id = Ids.newId();
		if (!invitations.insert(id, workspaceId, email, role, caller.userId(), settings.ttl())) {
			Map<String, Object> existing = invitations.pendingId(workspaceId, email)
				.<Map<String, Object>>map(pending -> Map.of("invitationId", pending))
				.orElse(Map.of());
			throw new ProblemException(HttpStatus.CONFLICT, "already_invited",
					"An invitation to this email is already pending; revoke it to invite again with another role.", existing);
		}
		return invitations.inWorkspace(workspaceId, id).orElseThrow();
	}

	Page<InvitationView> pending(Caller caller, UUID workspaceId, @Nullable UUID before, int limit) {
		access.require(caller, workspaceId, Role.OWNER);
		return Page.of(invitations.pendingInWorkspace(workspaceId, before, limit + 1), limit, InvitationView::id);
	}

	@Transactional
	void revoke(Caller caller, UUID workspaceId, UUID invitationId) {
		access.require(caller, workspaceId, Role.OWNER);
		if (!invitations.revoke(workspaceId, invitationId, caller.userId())) {
			throw closed(invitations.inWorkspace(workspaceId, invitationId), invitationId);
		}
	}

	Page<InvitationView> mine(Caller caller, @Nullable UUID before, int limit) {
		return Page.of(invitations.pendingForInvitee(users.signedIn(caller.userId()).email(), before, limit + 1), limit, InvitationView::id);
	}

	/** Closes the invitation and adds the caller as a member, in one transaction. */
	@Transactional
	Membership accept(Caller caller, UUID invitationId) {
		UserRow user = users.signedIn(caller.userId());
		Closed accepted = invitations.answer(invitationId, user.email(), user.id(), "accepted")
			.orElseThrow(() -> closed(invitations.forInvitee(user.email(), invitationId), invitationId));
		if (!workspaces.addMember(accepted.workspaceId(), user.id(), accepted.role())) {
			throw ProblemException.conflict("already_member", "You are already a member of this workspace.");
		}
		String workspaceName = workspaces.forUser(caller.userId(), accepted.workspaceId()).orElseThrow().name();
		return new Membership(accepted.workspaceId(), workspaceName, user.id(), user.email(), user.name(), accepted.role());
	}

	@Transactional
	void decline(Caller caller, UUID invitationId) {
		String email = users.signedIn(caller.userId()).email();
		if (invitations.answer(invitationId, email, caller.userId(), "declined").isEmpty()) {
			throw closed(invitations.forInvitee(email, invitationId), invitationId);
		}
	}

	/**
	 * Why an invitation could not be answered or revoked: it is not one the caller may see (404,
	 * whether or not it exists), or it is no longer pending (409 naming its status).
	 */
	private static ProblemException closed(Optional<InvitationView> invitation, UUID invitationId) {
		return invitation
			.map(found -> new ProblemException(HttpStatus.CONFLICT, "invitation_not_pending",
					"This invitation is " + found.status() + "; only a pending invitation can be answered or revoked.",
					Map.of("invitationStatus", found.status())))
			.orElseGet(() -> ProblemException.notFound("invitation", invitationId));
	}

}
