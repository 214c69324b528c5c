package dev.phork.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

@Repository
class Commits {

	private static final String COLUMNS = "id, project_id, parent_commit_id, message, timeline, author_id, created_at";

	/**
	 * The history of project {@code :project} as segments: its own commits (any depth), then for
	 * each fork point up the lineage, the forked project's commits up to that point's depth.
	 */
	private static final String SEGMENTS = """
				WITH RECURSIVE segments AS (
				    SELECT p.id AS project_id, CAST(NULL AS integer) AS max_depth, p.fork_commit_id
				    FROM projects p WHERE p.id = :project
				  UNION ALL
				    SELECT f.project_id, f.depth, q.fork_commit_id
				    FROM segments s
				    JOIN commits f ON f.id = s.fork_commit_id
				    JOIN projects q ON q.id = f.project_id
				)
			""";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	Commits(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	CommitView insert(UUID id, UUID projectId, @Nullable UUID parentId, String message, Timeline timeline, UUID authorId) {
		return jdbc.sql("""
				INSERT INTO commits (id, project_id, parent_commit_id, message, timeline, author_id)
				VALUES (:id, :project, :parent, :message, CAST(:timeline AS jsonb), :author)
				RETURNING""" + " " + COLUMNS)
			.param("id", id)
			.param("project", projectId)
			.param("parent", parentId)
			.param("message", message)
			.param("timeline", json.writeValueAsString(timeline))
			.param("author", authorId)
			.query(this::map)
			.single();
	}

	Optional<CommitView> find(UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM commits WHERE id = :id").param("id", id).query(this::map).optional();
	}

	/**
	 * Up to {@code limit} commits walking parent links from {@code start}, newest first. The walk stops
	 * after {@code limit} steps, so a page costs the same however long the history is, and a fork's
	 * list runs on into the history it shares with its parent.
	 */
	List<CommitView> walk(UUID start, int limit) {
		return jdbc.sql("""
				WITH RECURSIVE chain AS (
				    SELECT %1$s, 1 AS n FROM commits WHERE id = :start
				  UNION ALL
				    SELECT c.id, c.project_id, c.parent_commit_id, c.message, c.timeline, c.author_id, c.created_at, chain.n + 1
				    FROM chain JOIN commits c ON c.id = chain.parent_commit_id
				    WHERE chain.n < :limit
				)
				SELECT %1$s FROM chain ORDER BY n""".formatted(COLUMNS))
			.param("start", start)
			.param("limit", limit)
			.query(this::map)
			.list();
	}

	/**
	 * Whether the commit belongs to the project's history: the project's own commits, then for each
	 * fork point up the lineage, the commits of the forked project up to that point's depth. Costs
	 * one step per fork in the lineage, not one per commit.
	 */
	boolean inHistory(UUID projectId, UUID commitId) {
		return jdbc.sql(SEGMENTS + """
				SELECT EXISTS (
				    SELECT 1 FROM segments s JOIN commits x ON x.project_id = s.project_id
				    WHERE x.id = :commit AND (s.max_depth IS NULL OR x.depth <= s.max_depth))""")
			.param("project", projectId)
			.param("commit", commitId)
			.query(Boolean.class)
			.single();
	}

	/** Records which assets a commit references, at the commit's depth, for lineage lookups. */
	void recordAssets(UUID commitId, UUID projectId, java.util.Collection<UUID> assetIds) {
		jdbc.sql("""
				INSERT INTO commit_assets (commit_id, asset_id, project_id, depth)
				SELECT c.id, a.id, :project, c.depth FROM commits c, unnest(CAST(:assets AS uuid[])) AS a(id)
				WHERE c.id = :commit""")
			.param("commit", commitId)
			.param("project", projectId)
			.param("assets", assetIds.toArray(UUID[]::new))
			.update();
	}

	/**
	 * Of the given assets, those the project's history references: its own commits, an ancestor's
	 * up to the fork point (what a fork inherits and may keep using), and the renders of its own
	 * versions. Nothing an ancestor referenced after the fork point, and no ancestor's render.
	 */
	java.util.Set<UUID> referencedAssets(UUID projectId, java.util.Collection<UUID> assetIds) {
		return new java.util.HashSet<>(jdbc.sql(SEGMENTS + """
				SELECT ca.asset_id
				FROM segments s JOIN commit_assets ca ON ca.project_id = s.project_id
				WHERE ca.asset_id = ANY(:assets) AND (s.max_depth IS NULL OR ca.depth <= s.max_depth)
				UNION
				SELECT v.render_asset_id FROM project_versions v
				WHERE v.project_id = :project AND v.render_asset_id = ANY(:assets)""")
			.param("project", projectId)
			.param("assets", assetIds.toArray(UUID[]::new))
			.query(UUID.class)
			.list());
	}

	private CommitView map(ResultSet rs, int row) throws SQLException {
		return new CommitView(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class),
				rs.getObject("parent_commit_id", UUID.class), rs.getString("message"),
				json.readValue(rs.getString("timeline"), Timeline.class), rs.getObject("author_id", UUID.class),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
