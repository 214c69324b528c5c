package dev.phork.history;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Tags {

	record TagView(String name, UUID projectId, UUID commitId, UUID createdBy, Instant createdAt) {
	}

	private final JdbcClient jdbc;

	Tags(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** False when the project already has a tag of that name (the primary key decides, not a read). */
	boolean insert(UUID projectId, String name, UUID commitId, UUID createdBy) {
		return jdbc.sql("""
				INSERT INTO project_tags (project_id, name, commit_id, created_by) VALUES (:project, :name, :commit, :by)
				ON CONFLICT (project_id, name) DO NOTHING""")
			.param("project", projectId)
			.param("name", name)
			.param("commit", commitId)
			.param("by", createdBy)
			.update() == 1;
	}

	Optional<UUID> find(UUID projectId, String name) {
		return jdbc.sql("SELECT commit_id FROM project_tags WHERE project_id = :project AND name = :name")
			.param("project", projectId)
			.param("name", name)
			.query(UUID.class)
			.optional();
	}

	Optional<TagView> view(UUID projectId, String name) {
		return jdbc.sql("""
				SELECT name, project_id, commit_id, created_by, created_at FROM project_tags
				WHERE project_id = :project AND name = :name""")
			.param("project", projectId)
			.param("name", name)
			.query((rs, n) -> map(rs))
			.optional();
	}

	List<TagView> list(UUID projectId) {
		return jdbc.sql("""
				SELECT name, project_id, commit_id, created_by, created_at FROM project_tags
				WHERE project_id = :project ORDER BY name""")
			.param("project", projectId)
			.query((rs, n) -> map(rs))
			.list();
	}

	boolean delete(UUID projectId, String name) {
		return jdbc.sql("DELETE FROM project_tags WHERE project_id = :project AND name = :name")
			.param("project", projectId)
			.param("name", name)
			.update() == 1;
	}

	private static TagView map(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new TagView(rs.getString("name"), rs.getObject("project_id", UUID.class),
				rs.getObject("commit_id", UUID.class), rs.getObject("created_by", UUID.class),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
