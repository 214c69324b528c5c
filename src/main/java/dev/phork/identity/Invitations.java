package dev.phork.identity;

import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Invitations to workspaces. A pending invitation whose {@code expires_at} has passed reads as
 * {@code expired} without anyone having to rewrite it; only a new invitation to the same email
 * closes it for good, to make room under the one-pending-invitation index.
 */
@Repository
class Invitations {

	record Inviter(UUID userId, String email, @Nullable String name) {
	}

	record InvitationView(UUID id, UUID workspaceId, String workspaceName, String email, Role role,
			@Schema(allowableValues = { "pending", "accepted", "declined", "revoked", "expired" }) String status,
			Inviter invitedBy, Instant createdAt, Instant expiresAt) {
	}

	/** What an invitee's response (accept, decline) took from the invitation it closed. */
	record Closed(UUID workspaceId, Role role) {
	}

	private static final String VIEW = """
			SELECT i.id, i.workspace_id, w.name AS workspace_name, i.email, i.role,
			       CASE WHEN i.status = 'pending' AND i.expires_at <= now() THEN 'expired' ELSE i.status END AS status,
			       i.invited_by, u.email AS inviter_email, u.name AS inviter_name, i.created_at, i.expires_at
			FROM workspace_invitations i
			JOIN workspaces w ON w.id = i.workspace_id
			JOIN users u ON u.id = i.invited_by
			""";

	private final JdbcClient jdbc;

	Invitations(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	boolean isMember(UUID workspaceId, String email) {
		return jdbc.sql("""
				SELECT EXISTS (SELECT 1 FROM workspace_members m JOIN users u ON u.id = m.user_id
				               WHERE m.workspace_id = :workspace AND u.email = :email)""")
			.param("workspace", workspaceId)
			.param("email", email)
			.query(Boolean.class)
			.single();
	}

	/**
	 * Inserts a pending invitation, or answers false when one is already pending for this email.
	 * A pending one that has expired is closed first, so it does not block a fresh invitation.
	 */
	boolean insert(UUID id, UUID workspaceId, String email, Role role, UUID invitedBy, Duration ttl) {
		jdbc.sql("""
				UPDATE workspace_invitations SET status = 'expired', responded_at = now()
				WHERE workspace_id = :workspace AND email = :email AND status = 'pending' AND expires_at <= now()""")
			.param("workspace", workspaceId)
			.param("email", email)
			.update();
		return jdbc.sql("""
				INSERT INTO workspace_invitations (id, workspace_id, email, role, invited_by, expires_at)
				VALUES (:id, :workspace, :email, :role, :by, now() + make_interval(secs => :ttl))
				ON CONFLICT (workspace_id, email) WHERE status = 'pending' DO NOTHING""")
			.param("id", id)
			.param("workspace", workspaceId)
			.param("email", email)
			.param("role", role.json())
			.param("by", invitedBy)
			.param("ttl", (double) ttl.toMillis() / 1000)
			.update() == 1;
	}

	Optional<UUID> pendingId(UUID workspaceId, String email) {
		return jdbc.sql("SELECT id FROM workspace_invitations WHERE workspace_id = :workspace AND email = :email AND status = 'pending'")
			.param("workspace", workspaceId)
			.param("email", email)
			.query(UUID.class)
			.optional();
	}

	Optional<InvitationView> inWorkspace(UUID workspaceId, UUID id) {
		return jdbc.sql(VIEW + "WHERE i.id = :id AND i.workspace_id = :workspace")
			.param("id", id)
			.param("workspace", workspaceId)
			.query(Invitations::view)
			.optional();
	}

	Optional<InvitationView> forInvitee(String email, UUID id) {
		return jdbc.sql(VIEW + "WHERE i.id = :id AND i.email = :email")
			.param("id", id)
			.param("email", email)
			.query(Invitations::view)
			.optional();
	}

	/** Open invitations of a workspace, newest first, from before the cursor's id. */
	List<InvitationView> pendingInWorkspace(UUID workspaceId, @Nullable UUID before, int limit) {
		return jdbc.sql(VIEW + """
				WHERE i.workspace_id = :workspace AND i.status = 'pending' AND i.expires_at > now()
				  AND (CAST(:before AS uuid) IS NULL OR i.id < :before)
				ORDER BY i.id DESC LIMIT :limit""")
			.param("workspace", workspaceId)
			.param("before", before)
			.param("limit", limit)
			.query(Invitations::view)
			.list();
	}

	/** Open invitations to an email, newest first, from before the cursor's id. */
	List<InvitationView> pendingForInvitee(String email, @Nullable UUID before, int limit) {
		return jdbc.sql(VIEW + """
				WHERE i.email = :email AND i.status = 'pending' AND i.expires_at > now()
				  AND (CAST(:before AS uuid) IS NULL OR i.id < :before)
				ORDER BY i.id DESC LIMIT :limit""")
			.param("email", email)
			.param("before", before)
			.param("limit", limit)
			.query(Invitations::view)
			.list();
	}

	/**
	 * Closes an open invitation to {@code email} with the invitee's answer. The guarded UPDATE is
	 * the whole check: of two answers racing (accept twice, accept and decline, accept and revoke)
	 * exactly one finds it pending.
	 */
	Optional<Closed> answer(UUID id, String email, UUID userId, String status) {
		return jdbc.sql("""
				UPDATE workspace_invitations SET status = :status, responded_by = :user, responded_at = now()
				WHERE id = :id AND email = :email AND status = 'pending' AND expires_at > now()
				RETURNING workspace_id, role""")
			.param("status", status)
			.param("user", userId)
			.param("id", id)
			.param("email", email)
			.query((rs, n) -> new Closed(rs.getObject("workspace_id", UUID.class), Role.parse(rs.getString("role"))))
			.optional();
	}

	/** Revokes an open invitation of the workspace; answers whether one was open. */
	boolean revoke(UUID workspaceId, UUID id, UUID ownerId) {
		return jdbc.sql("""
				UPDATE workspace_invitations SET status = 'revoked', responded_by = :owner, responded_at = now()
				WHERE id = :id AND workspace_id = :workspace AND status = 'pending' AND expires_at > now()""")
			.param("owner", ownerId)
			.param("id", id)
			.param("workspace", workspaceId)
			.update() == 1;
	}

	private static InvitationView view(ResultSet rs, int n) throws SQLException {
		return new InvitationView(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
				rs.getString("workspace_name"), rs.getString("email"), Role.parse(rs.getString("role")),
				rs.getString("status"),
				new Inviter(rs.getObject("invited_by", UUID.class), rs.getString("inviter_email"), rs.getString("inviter_name")),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("expires_at", OffsetDateTime.class).toInstant());
	}

}
