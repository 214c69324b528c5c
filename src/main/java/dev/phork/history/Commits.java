package dev.phork.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

@Repository
class Commits {

	private static final String COLUMNS = """
			id, project_id, parent_commit_id, merge_parent_id, message, timeline, author_id, created_at""";

	/**
	 * The history of {@code :project} (or, with {@link #FROM_COMMIT}, of commit {@code :start}) as
	 * segments {@code (project_id, max_gen)}: a project's own commits up to that generation (all of
	 * them when null). A project's own commits form one line, so a history is its own line, then
	 * for each fork point up the lineage the forked project's line up to that point, and for each
	 * merge commit on any of these lines the history of the commit merged in. Costs one step per
	 * fork and merge reached, never one per commit.
	 */
	private static String segments(String name, String start) {
		return """
				%1$s(project_id, max_gen) AS (
				    %2$s
				  UNION
				    SELECT n.project_id, n.max_gen
				    FROM %1$s s
				    CROSS JOIN LATERAL (
				        SELECT f.project_id, f.generation AS max_gen
				        FROM projects q JOIN commits f ON f.id = q.fork_commit_id
				        WHERE q.id = s.project_id
				      UNION ALL
				        SELECT m.project_id, m.generation
				        FROM commits c JOIN commits m ON m.id = c.merge_parent_id
				        WHERE c.project_id = s.project_id AND c.merge_parent_id IS NOT NULL
				          AND (s.max_gen IS NULL OR c.generation <= s.max_gen)
				    ) n
				)""".formatted(name, start);
	}

	private static final String FROM_PROJECT = "SELECT CAST(:project AS uuid), CAST(NULL AS integer)";

	private static final String FROM_COMMIT = "SELECT project_id, generation FROM commits WHERE id = :%s";

	private static final String SEGMENTS = "WITH RECURSIVE " + segments("segments", FROM_PROJECT) + "\n";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	Commits(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	CommitView insert(UUID id, UUID projectId, @Nullable UUID parentId, String message, Timeline timeline, UUID authorId) {
		return insert(id, projectId, parentId, null, message, timeline, authorId);
	}

	CommitView insert(UUID id, UUID projectId, @Nullable UUID parentId, @Nullable UUID mergeParentId, String message,
			Timeline timeline, UUID authorId) {
		return jdbc.sql("""
				INSERT INTO commits (id, project_id, parent_commit_id, merge_parent_id, message, timeline, author_id)
				VALUES (:id, :project, :parent, :mergeParent, :message, CAST(:timeline AS jsonb), :author)
				RETURNING""" + " " + COLUMNS)
			.param("id", id)
			.param("project", projectId)
			.param("parent", parentId)
			.param("mergeParent", mergeParentId)
			.param("message", message)
			.param("timeline", json.writeValueAsString(timeline))
			.param("author", authorId)
			.query(this::map)
			.single();
	}

	Optional<CommitView> find(UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM commits WHERE id = :id").param("id", id).query(this::map).optional();
	}

	/** What blame tells of a commit, without its storyboard. */
	record Header(UUID id, UUID projectId, UUID authorId, String message, java.time.Instant createdAt) {
	}

	List<Header> headers(Collection<UUID> ids) {
		return jdbc.sql("SELECT id, project_id, author_id, message, created_at FROM commits WHERE id = ANY(:ids)")
			.param("ids", ids.toArray(UUID[]::new))
			.query((rs, n) -> new Header(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class),
					rs.getObject("author_id", UUID.class), rs.getString("message"),
					rs.getObject("created_at", OffsetDateTime.class).toInstant()))
			.list();
	}

	/**
	 * Up to {@code limit} commits of the project's history, newest first: by generation, so a merge
	 * commit comes before both its parents and the commits merged in are listed too. With a cursor,
	 * only commits after it in that order. Each segment of the history contributes at most
	 * {@code limit} rows read off the index in order, so a page costs the same however long the
	 * history is, and a fork's list runs on into the history it shares with its parent.
	 */
	List<CommitView> page(UUID projectId, @Nullable UUID after, int limit) {
		return jdbc.sql(SEGMENTS + """
				, cursor_row AS (SELECT generation, id FROM commits WHERE id = :after)
				SELECT %1$s FROM (
				    SELECT DISTINCT ON (x.id) x.* FROM segments s
				    CROSS JOIN LATERAL (
				        SELECT c.%2$s, c.generation FROM commits c
				        WHERE c.project_id = s.project_id AND (s.max_gen IS NULL OR c.generation <= s.max_gen)
				          AND (CAST(:after AS uuid) IS NULL
				               OR (c.generation, c.id) < (SELECT generation, id FROM cursor_row))
				        ORDER BY c.generation DESC, c.id DESC LIMIT :limit
				    ) x
				) y
				ORDER BY generation DESC, id DESC LIMIT :limit""".formatted(COLUMNS, COLUMNS.replace(", ", ", c.")))
			.param("project", projectId)
			.param("after", after)
			.param("limit", limit)
			.query(this::map)
			.list();
	}

	/**
	 * Whether the commit belongs to the project's history (see {@link #segments}). Costs one step
	 * per fork and merge in the history, not one per commit.
	 */
	boolean inHistory(UUID projectId, UUID commitId) {
		return jdbc.sql(SEGMENTS + """
				SELECT EXISTS (
				    SELECT 1 FROM segments s JOIN commits x ON x.project_id = s.project_id
				    WHERE x.id = :commit AND (s.max_gen IS NULL OR x.generation <= s.max_gen))""")
			.param("project", projectId)
			.param("commit", commitId)
			.query(Boolean.class)
			.single();
	}

	/** Whether commit {@code ancestor} is {@code descendant} or one of its ancestors. */
	boolean isAncestor(UUID ancestor, UUID descendant) {
		return jdbc.sql("WITH RECURSIVE " + segments("segments", FROM_COMMIT.formatted("descendant")) + """
				SELECT EXISTS (
				    SELECT 1 FROM segments s JOIN commits x ON x.project_id = s.project_id
				    WHERE x.id = :ancestor AND x.generation <= s.max_gen)""")
			.param("descendant", descendant)
			.param("ancestor", ancestor)
			.query(Boolean.class)
			.single();
	}

	/**
	 * The merge base of two commits: of their common ancestors, one that is no ancestor of another.
	 * The common ancestors on each project's line are that line up to the lower of the two cuts, so
	 * each line shared by both histories offers one candidate, its last common commit; the candidate
	 * with the highest generation is an ancestor of no other candidate.
	 */
	Optional<UUID> mergeBase(UUID a, UUID b) {
		return jdbc.sql("WITH RECURSIVE " + segments("left_side", FROM_COMMIT.formatted("a")) + ",\n"
				+ segments("right_side", FROM_COMMIT.formatted("b")) + """
				, shared AS (
				    SELECT l.project_id, least(l.max_gen, r.max_gen) AS max_gen
				    FROM (SELECT project_id, max(max_gen) AS max_gen FROM left_side GROUP BY project_id) l
				    JOIN (SELECT project_id, max(max_gen) AS max_gen FROM right_side GROUP BY project_id) r
				      ON r.project_id = l.project_id
				)
				SELECT c.id FROM shared s
				CROSS JOIN LATERAL (
				    SELECT id, generation FROM commits
				    WHERE project_id = s.project_id AND generation <= s.max_gen
				    ORDER BY generation DESC, id DESC LIMIT 1
				) c
				ORDER BY c.generation DESC, c.id DESC LIMIT 1""")
			.param("a", a)
			.param("b", b)
			.query(UUID.class)
			.optional();
	}

	/** Records which assets a commit references, at the commit's depth, for history lookups. */
	void recordAssets(UUID commitId, UUID projectId, Collection<UUID> assetIds) {
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
	 * up to the fork point (what a fork inherits and may keep using), the history of every commit
	 * merged in (up to that commit), and the renders of its own versions. Nothing an ancestor or a
	 * merged project referenced after the point the history shares, and no other project's render.
	 */
	Set<UUID> referencedAssets(UUID projectId, Collection<UUID> assetIds) {
		return new HashSet<>(jdbc.sql(SEGMENTS + """
				SELECT ca.asset_id
				FROM segments s JOIN commit_assets ca ON ca.project_id = s.project_id
				JOIN commits c ON c.id = ca.commit_id
				WHERE ca.asset_id = ANY(:assets) AND (s.max_gen IS NULL OR c.generation <= s.max_gen)
				UNION
				SELECT v.render_asset_id FROM project_versions v
				WHERE v.project_id = :project AND v.render_asset_id = ANY(:assets)""")
			.param("project", projectId)
			.param("assets", assetIds.toArray(UUID[]::new))
			.query(UUID.class)
			.list());
	}

	/**
	 * The projects whose commits were merged into the project's history, the project's own lineage
	 * aside: their history is part of the project's, so its visibility answers to theirs too.
	 */
	List<UUID> mergedProjects(UUID projectId) {
		return jdbc.sql(SEGMENTS + """
				SELECT DISTINCT m.project_id
				FROM segments s JOIN commits c ON c.project_id = s.project_id AND c.merge_parent_id IS NOT NULL
				JOIN commits m ON m.id = c.merge_parent_id
				WHERE (s.max_gen IS NULL OR c.generation <= s.max_gen) AND m.project_id <> :project""")
			.param("project", projectId)
			.query(UUID.class)
			.list();
	}

	private CommitView map(ResultSet rs, int row) throws SQLException {
		return new CommitView(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class),
				rs.getObject("parent_commit_id", UUID.class), rs.getObject("merge_parent_id", UUID.class),
				rs.getString("message"), json.readValue(rs.getString("timeline"), Timeline.class),
				rs.getObject("author_id", UUID.class), rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
