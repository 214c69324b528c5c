package dev.phork.common;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Walks the fork tree of a forkable table (projects, prompts): each row has {@code id},
 * {@code workspace_id}, {@code visibility} and a parent column. Lists show only rows the caller may
 * discover: public ones and those of the caller's workspaces (unlisted rows are reachable by id
 * only). Table and column names come from code, never from a request.
 */
public final class LineageTree {

	public record Node(UUID id, int depth) {
	}

	private final JdbcClient jdbc;

	private final String table;

	private final String parentColumn;

	public LineageTree(JdbcClient jdbc, String table, String parentColumn) {
		this.jdbc = jdbc;
		this.table = table;
		this.parentColumn = parentColumn;
	}

	/** Ancestor ids, nearest first; the last one is the root. */
	public List<UUID> ancestors(UUID id) {
		return jdbc.sql("""
				WITH RECURSIVE up AS (
				    SELECT t.%2$s AS id, 1 AS depth FROM %1$s t WHERE t.id = :id AND t.%2$s IS NOT NULL
				  UNION ALL
				    SELECT t.%2$s, up.depth + 1 FROM up JOIN %1$s t ON t.id = up.id WHERE t.%2$s IS NOT NULL
				)
				SELECT id FROM up ORDER BY depth""".formatted(table, parentColumn))
			.param("id", id)
			.query(UUID.class)
			.list();
	}

	/** Discoverable direct forks, oldest first. */
	public List<UUID> children(UUID id, List<UUID> memberWorkspaces, int limit) {
		return jdbc.sql("""
				SELECT id FROM %1$s
				WHERE %2$s = :id AND (visibility = 'public' OR workspace_id = ANY(:workspaces))
				ORDER BY id LIMIT :limit""".formatted(table, parentColumn))
			.param("id", id)
			.param("workspaces", memberWorkspaces.toArray(UUID[]::new))
			.param("limit", limit)
			.query(UUID.class)
			.list();
	}

	/**
	 * One page of the whole discoverable descendant tree, ordered by id (creation time), each node
	 * with its depth below {@code id}. Fetches {@code limit + 1} rows so the caller can tell whether
	 * another page follows.
	 */
	public List<Node> descendants(UUID id, List<UUID> memberWorkspaces, @Nullable UUID after, int limit) {
		return jdbc.sql("""
				WITH RECURSIVE down AS (
				    SELECT t.id, 1 AS depth FROM %1$s t WHERE t.%2$s = :id
				  UNION ALL
				    SELECT t.id, down.depth + 1 FROM down JOIN %1$s t ON t.%2$s = down.id
				)
				SELECT down.id, down.depth
				FROM down JOIN %1$s t ON t.id = down.id
				WHERE (t.visibility = 'public' OR t.workspace_id = ANY(:workspaces))
				  AND (CAST(:after AS uuid) IS NULL OR down.id > :after)
				ORDER BY down.id
				LIMIT :limit""".formatted(table, parentColumn))
			.param("id", id)
			.param("workspaces", memberWorkspaces.toArray(UUID[]::new))
			.param("after", after)
			.param("limit", limit + 1)
			.query((rs, n) -> new Node(rs.getObject("id", UUID.class), rs.getInt("depth")))
			.list();
	}

}
