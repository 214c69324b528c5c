package dev.phork.history;

import dev.phork.common.Visibility;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Projects {

	private static final String COLUMNS = """
			id, workspace_id, name, description, visibility, head_commit_id, parent_project_id, root_project_id,
			fork_commit_id, fork_count, created_at, updated_at""";

	private final JdbcClient jdbc;

	Projects(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record NewProject(UUID id, UUID workspaceId, String name, @Nullable String description, Visibility visibility,
			UUID headCommitId, @Nullable UUID parentProjectId, @Nullable UUID forkCommitId, UUID createdBy,
			@Nullable String idempotencyKey, @Nullable String requestHash) {
	}

	record Idempotent(UUID id, String requestHash) {
	}

	/**
	 * Inserts the project; with an idempotency key that is already taken in the workspace (a
	 * concurrent double click) it inserts nothing and answers false. The root is set by the database.
	 */
	boolean insert(NewProject p) {
		return jdbc.sql("""
				INSERT INTO projects (id, workspace_id, name, description, visibility, head_commit_id, parent_project_id,
				                      fork_commit_id, created_by, idempotency_key, request_hash)
				VALUES (:id, :workspace, :name, :description, :visibility, :head, :parent, :forkCommit, :createdBy,
				        :key, :hash)
				ON CONFLICT (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING""")
			.param("id", p.id())
			.param("workspace", p.workspaceId())
			.param("name", p.name())
			.param("description", p.description())
			.param("visibility", p.visibility().json())
			.param("head", p.headCommitId())
			.param("parent", p.parentProjectId())
			.param("forkCommit", p.forkCommitId())
			.param("createdBy", p.createdBy())
			.param("key", p.idempotencyKey())
			.param("hash", p.requestHash())
			.update() == 1;
	}

	Optional<Idempotent> byIdempotencyKey(UUID workspaceId, String key) {
		return jdbc.sql("SELECT id, request_hash FROM projects WHERE workspace_id = :workspace AND idempotency_key = :key")
			.param("workspace", workspaceId)
			.param("key", key)
			.query((rs, n) -> new Idempotent(rs.getObject("id", UUID.class), rs.getString("request_hash")))
			.optional();
	}

	Optional<ProjectView> find(UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM projects WHERE id = :id")
			.param("id", id)
			.query(Projects::map)
			.optional();
	}

	/** Locks the project row: commits without an explicit parent queue here instead of failing. */
	Optional<ProjectView> findForUpdate(UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM projects WHERE id = :id FOR UPDATE")
			.param("id", id)
			.query(Projects::map)
			.optional();
	}

	List<ProjectView> findAll(List<UUID> ids) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM projects WHERE id = ANY(:ids)")
			.param("ids", ids.toArray(UUID[]::new))
			.query(Projects::map)
			.list();
	}

	List<ProjectView> inWorkspaces(List<UUID> workspaces, @Nullable UUID before, int limit) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM projects
				WHERE workspace_id = ANY(:workspaces) AND (CAST(:before AS uuid) IS NULL OR id < :before)
				ORDER BY id DESC LIMIT :limit""")
			.param("workspaces", workspaces.toArray(UUID[]::new))
			.param("before", before)
			.param("limit", limit + 1)
			.query(Projects::map)
			.list();
	}

	/** Public projects of every workspace, newest first: what anyone may discover. */
	List<ProjectView> publicOnes(@Nullable UUID before, int limit) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM projects
				WHERE visibility = 'public' AND (CAST(:before AS uuid) IS NULL OR id < :before)
				ORDER BY id DESC LIMIT :limit""")
			.param("before", before)
			.param("limit", limit + 1)
			.query(Projects::map)
			.list();
	}

	/**
	 * Moves the head only if it is still {@code expected}: of several commits racing on one parent,
	 * the row lock lets exactly one see its expected head; the others update nothing and fail.
	 */
	boolean advanceHead(UUID projectId, UUID expected, UUID newHead) {
		return jdbc.sql("""
				UPDATE projects SET head_commit_id = :newHead, updated_at = now()
				WHERE id = :id AND head_commit_id = :expected""")
			.param("id", projectId)
			.param("expected", expected)
			.param("newHead", newHead)
			.update() == 1;
	}

	void update(UUID id, String name, @Nullable String description, Visibility visibility) {
		jdbc.sql("""
				UPDATE projects SET name = :name, description = :description, visibility = :visibility, updated_at = now()
				WHERE id = :id""")
			.param("id", id)
			.param("name", name)
			.param("description", description)
			.param("visibility", visibility.json())
			.update();
	}

	/** Counts a fork in the same transaction that inserts it; the increment is atomic under concurrency. */
	void recordFork(UUID eventId, UUID sourceId, UUID forkId, UUID forkCommitId, UUID actorId) {
		jdbc.sql("""
				INSERT INTO project_fork_events (id, source_project_id, fork_project_id, fork_commit_id, actor_id)
				VALUES (:id, :source, :fork, :commit, :actor)""")
			.param("id", eventId)
			.param("source", sourceId)
			.param("fork", forkId)
			.param("commit", forkCommitId)
			.param("actor", actorId)
			.update();
		jdbc.sql("UPDATE projects SET fork_count = fork_count + 1 WHERE id = :id").param("id", sourceId).update();
	}

	private static ProjectView map(ResultSet rs, int row) throws SQLException {
		return new ProjectView(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
				rs.getString("name"), rs.getString("description"), Visibility.parse(rs.getString("visibility")),
				rs.getObject("head_commit_id", UUID.class), rs.getObject("parent_project_id", UUID.class),
				rs.getObject("root_project_id", UUID.class), rs.getObject("fork_commit_id", UUID.class),
				rs.getInt("fork_count"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant());
	}

}
