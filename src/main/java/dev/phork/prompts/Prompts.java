package dev.phork.prompts;

import dev.phork.common.Visibility;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Prompts {

	private static final String COLUMNS = """
			id, workspace_id, title, body, visibility, parent_prompt_id, root_prompt_id, fork_count, created_by,
			created_at, updated_at, erased_at""";

	private static final String ERASED_TITLE = "(erased)";

	private final JdbcClient jdbc;

	Prompts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Inserts a prompt; the database sets its root from the parent. */
	void insert(UUID id, UUID workspaceId, String title, String body, Visibility visibility, @Nullable UUID parentId,
			UUID createdBy) {
		jdbc.sql("""
				INSERT INTO prompts (id, workspace_id, title, body, visibility, parent_prompt_id, created_by)
				VALUES (:id, :workspace, :title, :body, :visibility, :parent, :createdBy)""")
			.param("id", id)
			.param("workspace", workspaceId)
			.param("title", title)
			.param("body", body)
			.param("visibility", visibility.json())
			.param("parent", parentId)
			.param("createdBy", createdBy)
			.update();
	}

	/** Records the fork and counts it in the transaction that inserts it. */
	void recordFork(UUID eventId, UUID sourceId, UUID forkId, UUID actorId) {
		jdbc.sql("""
				INSERT INTO prompt_fork_events (id, source_prompt_id, fork_prompt_id, actor_id)
				VALUES (:id, :source, :fork, :actor)""")
			.param("id", eventId)
			.param("source", sourceId)
			.param("fork", forkId)
			.param("actor", actorId)
			.update();
		jdbc.sql("UPDATE prompts SET fork_count = fork_count + 1 WHERE id = :id").param("id", sourceId).update();
	}

	Optional<PromptView> find(UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM prompts WHERE id = :id").param("id", id).query(Prompts::map).optional();
	}

	List<PromptView> findAll(List<UUID> ids) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM prompts WHERE id = ANY(:ids)")
			.param("ids", ids.toArray(UUID[]::new))
			.query(Prompts::map)
			.list();
	}

	List<PromptView> inWorkspaces(List<UUID> workspaces, @Nullable UUID before, int limit) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM prompts
				WHERE workspace_id = ANY(:workspaces) AND (CAST(:before AS uuid) IS NULL OR id < :before)
				ORDER BY id DESC LIMIT :limit""")
			.param("workspaces", workspaces.toArray(UUID[]::new))
			.param("before", before)
			.param("limit", limit + 1)
			.query(Prompts::map)
			.list();
	}

	/**
	 * Empties the prompts the user created, keeping the rows: forks name them as parent and root. The
	 * title becomes a fixed placeholder (a title is never empty).
	 */
	int erase(UUID userId) {
		return jdbc.sql("""
				UPDATE prompts SET title = :title, body = '', erased_at = now(), updated_at = now()
				WHERE created_by = :user AND erased_at IS NULL""")
			.param("title", ERASED_TITLE)
			.param("user", userId)
			.update();
	}

	private static PromptView map(ResultSet rs, int row) throws SQLException {
		return new PromptView(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
				rs.getString("title"), rs.getString("body"), Visibility.parse(rs.getString("visibility")),
				rs.getObject("parent_prompt_id", UUID.class), rs.getObject("root_prompt_id", UUID.class),
				rs.getInt("fork_count"), rs.getObject("created_by", UUID.class),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant(), instant(rs, "erased_at"));
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

}
