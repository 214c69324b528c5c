package dev.phork.mergerequests;

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
class MergeRequests {

	private static final String COLUMNS = """
			id, target_project_id, source_project_id, title, description, status, created_by, created_at, updated_at,
			merge_commit_id, finished_by, finished_at""";

	record Row(UUID id, UUID targetProjectId, UUID sourceProjectId, String title, @Nullable String description,
			String status, UUID createdBy, Instant createdAt, Instant updatedAt, @Nullable UUID mergeCommitId,
			@Nullable UUID finishedBy, @Nullable Instant finishedAt) {

		boolean open() {
			return status.equals("open");
		}

	}

	record Comment(UUID id, UUID mergeRequestId, UUID authorId, String body, Instant createdAt) {
	}

	private final JdbcClient jdbc;

	MergeRequests(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Row insert(UUID id, UUID target, UUID source, String title, @Nullable String description, UUID createdBy) {
		return jdbc.sql("""
				INSERT INTO merge_requests (id, target_project_id, source_project_id, title, description, created_by)
				VALUES (:id, :target, :source, :title, :description, :by)
				RETURNING""" + " " + COLUMNS)
			.param("id", id)
			.param("target", target)
			.param("source", source)
			.param("title", title)
			.param("description", description)
			.param("by", createdBy)
			.query(MergeRequests::map)
			.single();
	}

	Optional<Row> find(UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM merge_requests WHERE id = :id").param("id", id)
			.query(MergeRequests::map)
			.optional();
	}

	/**
	 * Locks the request: a merge, a close and a comment on one request queue here, so none acts on
	 * a request another has just merged or closed.
	 */
	Optional<Row> lock(UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM merge_requests WHERE id = :id FOR UPDATE").param("id", id)
			.query(MergeRequests::map)
			.optional();
	}

	List<Row> page(String column, UUID projectId, @Nullable String status, @Nullable UUID before, int limit) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM merge_requests WHERE " + column + """
				 = :project
				  AND (CAST(:status AS text) IS NULL OR status = :status)
				  AND (CAST(:before AS uuid) IS NULL OR id < :before)
				ORDER BY id DESC LIMIT :limit""")
			.param("project", projectId)
			.param("status", status)
			.param("before", before)
			.param("limit", limit)
			.query(MergeRequests::map)
			.list();
	}

	Row finish(UUID id, String status, @Nullable UUID mergeCommitId, UUID by) {
		return jdbc.sql("""
				UPDATE merge_requests SET status = :status, merge_commit_id = :commit, finished_by = :by,
				       finished_at = now(), updated_at = now()
				WHERE id = :id AND status = 'open'
				RETURNING""" + " " + COLUMNS)
			.param("id", id)
			.param("status", status)
			.param("commit", mergeCommitId)
			.param("by", by)
			.query(MergeRequests::map)
			.single();
	}

	Comment comment(UUID id, UUID requestId, UUID authorId, String body) {
		return jdbc.sql("""
				INSERT INTO merge_request_comments (id, merge_request_id, author_id, body)
				VALUES (:id, :request, :author, :body)
				RETURNING id, merge_request_id, author_id, body, created_at""")
			.param("id", id)
			.param("request", requestId)
			.param("author", authorId)
			.param("body", body)
			.query((rs, n) -> comment(rs))
			.single();
	}

	List<Comment> comments(UUID requestId, @Nullable UUID after, int limit) {
		return jdbc.sql("""
				SELECT id, merge_request_id, author_id, body, created_at FROM merge_request_comments
				WHERE merge_request_id = :request AND (CAST(:after AS uuid) IS NULL OR id > :after)
				ORDER BY id LIMIT :limit""")
			.param("request", requestId)
			.param("after", after)
			.param("limit", limit)
			.query((rs, n) -> comment(rs))
			.list();
	}

	private static Comment comment(ResultSet rs) throws SQLException {
		return new Comment(rs.getObject("id", UUID.class), rs.getObject("merge_request_id", UUID.class),
				rs.getObject("author_id", UUID.class), rs.getString("body"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

	private static Row map(ResultSet rs, int n) throws SQLException {
		OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
		return new Row(rs.getObject("id", UUID.class), rs.getObject("target_project_id", UUID.class),
				rs.getObject("source_project_id", UUID.class), rs.getString("title"), rs.getString("description"),
				rs.getString("status"), rs.getObject("created_by", UUID.class),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant(), rs.getObject("merge_commit_id", UUID.class),
				rs.getObject("finished_by", UUID.class), finished == null ? null : finished.toInstant());
	}

}
