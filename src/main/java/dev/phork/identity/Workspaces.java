package dev.phork.identity;

import dev.phork.identity.BrowserSessions.Attribution;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Workspaces {

	record WorkspaceView(UUID id, String name, Role role) {
	}

	record MemberView(UUID userId, String email, @Nullable String name, Role role) {
	}

	private final JdbcClient jdbc;

	Workspaces(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Workspaces' names and their creators' display names (null when the creator gave none). */
	Map<UUID, Attribution> attributions(Collection<UUID> workspaceIds) {
		return jdbc.sql("""
				SELECT w.id, w.name, u.name AS creator
				  FROM workspaces w JOIN users u ON u.id = w.created_by
				 WHERE w.id = ANY(:ids)""")
			.param("ids", workspaceIds.toArray(UUID[]::new))
			.query((rs, n) -> new Attribution(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("creator")))
			.list()
			.stream()
			.collect(Collectors.toMap(Attribution::workspaceId, a -> a));
	}

	/** Users' display names (a user without one is absent). */
	Map<UUID, String> userNames(Collection<UUID> userIds) {
		return jdbc.sql("SELECT id, name FROM users WHERE id = ANY(:ids) AND name IS NOT NULL")
			.param("ids", userIds.toArray(UUID[]::new))
			.query((rs, n) -> Map.entry(rs.getObject("id", UUID.class), rs.getString("name")))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	void insert(UUID id, String name, boolean personal, UUID createdBy) {
		jdbc.sql("INSERT INTO workspaces (id, name, personal, created_by) VALUES (:id, :name, :personal, :by)")
			.param("id", id)
			.param("name", name)
			.param("personal", personal)
			.param("by", createdBy)
			.update();
	}

	/** Adds the member, or answers false when the user already belongs to the workspace. */
	boolean addMember(UUID workspaceId, UUID userId, Role role) {
		return jdbc.sql("""
				INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (:workspace, :user, :role)
				ON CONFLICT DO NOTHING""")
			.param("workspace", workspaceId)
			.param("user", userId)
			.param("role", role.json())
			.update() == 1;
	}

	List<WorkspaceView> forUser(UUID userId) {
		return jdbc.sql("""
				SELECT w.id, w.name, m.role
				FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id
				WHERE m.user_id = :user ORDER BY w.id""")
			.param("user", userId)
			.query((rs, n) -> new WorkspaceView(rs.getObject("id", UUID.class), rs.getString("name"),
					Role.parse(rs.getString("role"))))
			.list();
	}

	Optional<WorkspaceView> forUser(UUID userId, UUID workspaceId) {
		return jdbc.sql("""
				SELECT w.id, w.name, m.role
				FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id
				WHERE m.user_id = :user AND m.workspace_id = :workspace""")
			.param("user", userId)
			.param("workspace", workspaceId)
			.query((rs, n) -> new WorkspaceView(rs.getObject("id", UUID.class), rs.getString("name"),
					Role.parse(rs.getString("role"))))
			.optional();
	}

	List<MemberView> members(UUID workspaceId) {
		return jdbc.sql("""
				SELECT u.id, u.email, u.name, m.role
				FROM workspace_members m JOIN users u ON u.id = m.user_id
				WHERE m.workspace_id = :workspace ORDER BY m.created_at, u.id""")
			.param("workspace", workspaceId)
			.query((rs, n) -> new MemberView(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("name"),
					Role.parse(rs.getString("role"))))
			.list();
	}

	/**
	 * Locks the workspace's member rows, so that two owners demoting or removing each other at once
	 * cannot leave a workspace with no owner.
	 */
	long lockOwners(UUID workspaceId) {
		return jdbc.sql("""
				SELECT count(*) FILTER (WHERE role = 'owner')
				FROM (SELECT role FROM workspace_members WHERE workspace_id = :workspace FOR UPDATE) m""")
			.param("workspace", workspaceId)
			.query(Long.class)
			.single();
	}

	int updateRole(UUID workspaceId, UUID userId, Role role) {
		return jdbc.sql("UPDATE workspace_members SET role = :role WHERE workspace_id = :workspace AND user_id = :user")
			.param("role", role.json())
			.param("workspace", workspaceId)
			.param("user", userId)
			.update();
	}

	int removeMember(UUID workspaceId, UUID userId) {
		return jdbc.sql("DELETE FROM workspace_members WHERE workspace_id = :workspace AND user_id = :user")
			.param("workspace", workspaceId)
			.param("user", userId)
			.update();
	}

}
