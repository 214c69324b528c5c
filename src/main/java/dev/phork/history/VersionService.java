package dev.phork.history;

import dev.phork.common.Ids;
import dev.phork.common.Page;
import dev.phork.identity.Caller;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Project versions: a commit and the render made from it. A version is written only in the
 * transaction where its render succeeds, so a failed render leaves no ghost version (seed 002).
 */
@Service
public class VersionService {

	private final JdbcClient jdbc;

	private final ProjectService projects;

	private final ApplicationEventPublisher events;

	VersionService(JdbcClient jdbc, ProjectService projects, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.projects = projects;
		this.events = events;
	}

	public record VersionView(UUID id, UUID projectId, UUID commitId, UUID renderAssetId, Instant createdAt) {
	}

	@Transactional(propagation = Propagation.MANDATORY)
	public VersionView record(UUID projectId, UUID commitId, UUID renderAssetId) {
		UUID id = Ids.newId();
		VersionCreated created = jdbc.sql("""
				INSERT INTO project_versions (id, project_id, commit_id, render_asset_id)
				VALUES (:id, :project, :commit, :asset)
				RETURNING id, project_id, commit_id, render_asset_id, created_at,
				          (SELECT workspace_id FROM projects WHERE projects.id = project_id) AS workspace_id""")
			.param("id", id)
			.param("project", projectId)
			.param("commit", commitId)
			.param("asset", renderAssetId)
			.query((rs, n) -> {
				VersionView version = map(rs);
				return new VersionCreated(version.id(), version.projectId(), rs.getObject("workspace_id", UUID.class),
						version.commitId(), version.renderAssetId(), version.createdAt());
			})
			.single();
		events.publishEvent(created);
		return new VersionView(created.versionId(), created.projectId(), created.commitId(), created.renderAssetId(),
				created.createdAt());
	}

	public Page<VersionView> list(Caller caller, UUID projectId, @Nullable UUID before, int limit) {
		projects.readable(caller, projectId);
		List<VersionView> rows = jdbc.sql("""
				SELECT id, project_id, commit_id, render_asset_id, created_at FROM project_versions
				WHERE project_id = :project AND (CAST(:before AS uuid) IS NULL OR id < :before)
				ORDER BY id DESC LIMIT :limit""")
			.param("project", projectId)
			.param("before", before)
			.param("limit", limit + 1)
			.query((rs, n) -> map(rs))
			.list();
		return Page.of(rows, limit, VersionView::id);
	}

	private static VersionView map(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new VersionView(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class),
				rs.getObject("commit_id", UUID.class), rs.getObject("render_asset_id", UUID.class),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
