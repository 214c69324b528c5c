package dev.phork.identity;

import dev.phork.common.ProblemException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The one authorization check. Every endpoint that touches a workspace's data asks here first. A
 * caller who is not a member is told the workspace does not exist (404), so ids never reveal what
 * another tenant has; a member whose role is too low gets 403.
 */
@Service
public class WorkspaceAccess {

	private final JdbcClient jdbc;

	WorkspaceAccess(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Role> roleOf(UUID userId, UUID workspaceId) {
		return jdbc.sql("SELECT role FROM workspace_members WHERE workspace_id = :workspace AND user_id = :user")
			.param("workspace", workspaceId)
			.param("user", userId)
			.query(String.class)
			.optional()
			.map(Role::parse);
	}

	/** A user's place in a workspace, for checking many at once. */
	public record Seat(UUID userId, UUID workspaceId) {
	}

	/** The roles of these seats, in one query; seats without membership are absent. */
	public Map<Seat, Role> roles(Collection<Seat> seats) {
		Map<Seat, Role> roles = new HashMap<>();
		jdbc.sql("""
				SELECT m.user_id, m.workspace_id, m.role FROM workspace_members m
				JOIN unnest(CAST(:users AS uuid[]), CAST(:workspaces AS uuid[])) AS s(user_id, workspace_id)
				  ON m.user_id = s.user_id AND m.workspace_id = s.workspace_id""")
			.param("users", seats.stream().map(Seat::userId).toArray(UUID[]::new))
			.param("workspaces", seats.stream().map(Seat::workspaceId).toArray(UUID[]::new))
			.query((rs, n) -> roles.put(new Seat(rs.getObject("user_id", UUID.class), rs.getObject("workspace_id", UUID.class)),
					Role.parse(rs.getString("role"))))
			.list();
		return roles;
	}

	/** Requires membership with at least {@code minimum}; answers the caller's actual role. */
	public Role require(Caller caller, UUID workspaceId, Role minimum) {
		Optional<Role> role = roleOf(caller.userId(), workspaceId);
		Optional<ProblemException> refusal = refusal(role.orElse(null), workspaceId, minimum);
		if (refusal.isPresent()) {
			throw refusal.get();
		}
		return role.orElseThrow();
	}

	/**
	 * Why a caller holding {@code role} (null: not a member) may not act in the workspace when that
	 * needs {@code minimum}: not found for strangers, forbidden for a role too low; empty if allowed.
	 */
	public Optional<ProblemException> refusal(@Nullable Role role, UUID workspaceId, Role minimum) {
		if (role == null) {
			return Optional.of(ProblemException.notFound("workspace", workspaceId));
		}
		if (!role.atLeast(minimum)) {
			return Optional.of(new ProblemException(HttpStatus.FORBIDDEN, "insufficient_role",
					"This needs the " + minimum.json() + " role in workspace " + workspaceId + "; you are " + role.json() + "."));
		}
		return Optional.empty();
	}

	/** The workspaces the caller belongs to, for queries that list what the caller may discover. */
	public List<UUID> workspaceIds(Caller caller) {
		return jdbc.sql("SELECT workspace_id FROM workspace_members WHERE user_id = :user")
			.param("user", caller.userId())
			.query(UUID.class)
			.list();
	}

	/**
	 * The workspaces a listing covers: the one asked for (the caller must be a member), or all of
	 * the caller's when none is given.
	 */
	public List<UUID> listed(Caller caller, @Nullable UUID workspaceId) {
		if (workspaceId == null) {
			return workspaceIds(caller);
		}
		require(caller, workspaceId, Role.VIEWER);
		return List.of(workspaceId);
	}

	public boolean isMember(Caller caller, UUID workspaceId) {
		return roleOf(caller.userId(), workspaceId).isPresent();
	}

}
