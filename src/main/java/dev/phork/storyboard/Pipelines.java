package dev.phork.storyboard;

import dev.phork.history.Timeline;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class Pipelines {

	private static final TypeReference<List<Step>> STEPS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	Pipelines(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** One job of a pipeline: the stage it belongs to and the scene artifact it makes. */
	record Step(UUID jobId, String stage, @Nullable UUID sceneId, String artifact) {
	}

	record Row(UUID id, UUID projectId, UUID workspaceId, String kind, UUID baseCommitId, Timeline storyboard,
			List<Step> steps, long estimate, String status, @Nullable UUID commitId, @Nullable UUID versionId,
			@Nullable String error, UUID createdBy, java.time.Instant createdAt) {
	}

	void insert(UUID id, UUID projectId, UUID workspaceId, String kind, UUID baseCommitId, Timeline storyboard,
			List<Step> steps, long estimate, UUID createdBy, boolean done) {
		jdbc.sql("""
				INSERT INTO pipelines (id, project_id, workspace_id, kind, base_commit_id, storyboard, steps, estimate,
				                       created_by, status, finished_at)
				VALUES (:id, :project, :workspace, :kind, :base, CAST(:storyboard AS jsonb), CAST(:steps AS jsonb), :estimate,
				        :createdBy, :status, CASE WHEN :done THEN now() END)""")
			.param("id", id)
			.param("project", projectId)
			.param("workspace", workspaceId)
			.param("kind", kind)
			.param("base", baseCommitId)
			.param("storyboard", json.writeValueAsString(storyboard))
			.param("steps", json.writeValueAsString(steps))
			.param("estimate", estimate)
			.param("createdBy", createdBy)
			.param("status", done ? "succeeded" : "running")
			.param("done", done)
			.update();
	}

	Optional<Row> find(UUID id) {
		return jdbc.sql("""
				SELECT id, project_id, workspace_id, kind, base_commit_id, storyboard, steps, estimate, status, commit_id,
				       version_id, error, created_by, created_at
				FROM pipelines WHERE id = :id""")
			.param("id", id)
			.query(this::map)
			.optional();
	}

	/** Locks a running pipeline for the transaction that finishes it; empty if it already ended. */
	Optional<Row> lockRunning(UUID id) {
		return jdbc.sql("""
				SELECT id, project_id, workspace_id, kind, base_commit_id, storyboard, steps, estimate, status, commit_id,
				       version_id, error, created_by, created_at
				FROM pipelines WHERE id = :id AND status = 'running' FOR UPDATE""")
			.param("id", id)
			.query(this::map)
			.optional();
	}

	/** Ends a running pipeline; answers the event of its ending, or nothing when it had already ended. */
	Optional<PipelineEnded> succeed(UUID id, UUID commitId, UUID versionId) {
		return jdbc.sql("""
				UPDATE pipelines SET status = 'succeeded', commit_id = :commit, version_id = :version, finished_at = now()
				WHERE id = :id AND status = 'running'
				RETURNING""" + ENDED)
			.param("id", id)
			.param("commit", commitId)
			.param("version", versionId)
			.query(Pipelines::ended)
			.optional();
	}

	/** Ends a running pipeline; answers the event of its ending, or nothing when it had already ended. */
	Optional<PipelineEnded> end(UUID id, String status, String error) {
		return jdbc.sql("""
				UPDATE pipelines SET status = :status, error = :error, finished_at = now()
				WHERE id = :id AND status = 'running'
				RETURNING""" + ENDED)
			.param("id", id)
			.param("status", status)
			.param("error", error)
			.query(Pipelines::ended)
			.optional();
	}

	private static final String ENDED = " id, project_id, workspace_id, kind, status, commit_id, version_id, error";

	private static PipelineEnded ended(ResultSet rs, int row) throws SQLException {
		return new PipelineEnded(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class),
				rs.getObject("workspace_id", UUID.class), rs.getString("kind"), rs.getString("status"),
				rs.getObject("commit_id", UUID.class), rs.getObject("version_id", UUID.class), rs.getString("error"));
	}

	void recordFingerprint(String fingerprint, UUID assetId, UUID workspaceId) {
		jdbc.sql("""
				INSERT INTO asset_fingerprints (fingerprint, asset_id, workspace_id) VALUES (:fp, :asset, :workspace)
				ON CONFLICT DO NOTHING""")
			.param("fp", fingerprint)
			.param("asset", assetId)
			.param("workspace", workspaceId)
			.update();
	}

	/**
	 * Removes the given keys, at any depth, from the storyboards of the user's pipelines (scene
	 * prompts, entry names and descriptions, style); scene ids and the asset ids stay. Their
	 * unfinished jobs were canceled first, so no pipeline still needs its storyboard to commit.
	 */
	int erase(UUID userId, List<String> keys) {
		return jdbc.sql("""
				UPDATE pipelines SET storyboard = jsonb_without_keys(storyboard, :keys)
				WHERE created_by = :user AND jsonb_without_keys(storyboard, :keys) <> storyboard""")
			.param("user", userId)
			.param("keys", keys.toArray(String[]::new))
			.update();
	}

	private Row map(ResultSet rs, int n) throws SQLException {
		return new Row(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class),
				rs.getObject("workspace_id", UUID.class), rs.getString("kind"), rs.getObject("base_commit_id", UUID.class),
				json.readValue(rs.getString("storyboard"), Timeline.class), json.readValue(rs.getString("steps"), STEPS),
				rs.getLong("estimate"), rs.getString("status"), rs.getObject("commit_id", UUID.class),
				rs.getObject("version_id", UUID.class), rs.getString("error"), rs.getObject("created_by", UUID.class),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
