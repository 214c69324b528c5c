package dev.phork.assets;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class Assets {

	private static final String COLUMNS = """
			id, workspace_id, type, mime_type, size_bytes, sha256, duration_ms, provider, model, cost, job_id, name,
			provenance, provenance_hash, mint_receipt, created_by, created_at""";

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	Assets(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** Registers (or refreshes) a blob before its bytes are written, so the sweeper can find it. */
	void touchBlob(String sha256, long size) {
		jdbc.sql("""
				INSERT INTO blobs (sha256, size_bytes) VALUES (:sha, :size)
				ON CONFLICT (sha256) DO UPDATE SET touched_at = now()""")
			.param("sha", sha256)
			.param("size", size)
			.update();
	}

	void insert(AssetRecord a) {
		jdbc.sql("""
				INSERT INTO assets (id, workspace_id, type, mime_type, size_bytes, sha256, duration_ms, provider, model,
				                    cost, job_id, name, provenance, provenance_hash, mint_receipt, created_by)
				VALUES (:id, :workspace, :type, :mime, :size, :sha, :duration, :provider, :model, :cost, :job, :name,
				        CAST(:provenance AS jsonb), :provenanceHash, :receipt, :createdBy)""")
			.param("id", a.id())
			.param("workspace", a.workspaceId())
			.param("type", a.type().json())
			.param("mime", a.mimeType())
			.param("size", a.sizeBytes())
			.param("sha", a.sha256())
			.param("duration", a.durationMs())
			.param("provider", a.provider())
			.param("model", a.model())
			.param("cost", a.cost())
			.param("job", a.jobId())
			.param("name", a.name())
			.param("provenance", json.writeValueAsString(a.provenance()))
			.param("provenanceHash", a.provenanceHash())
			.param("receipt", a.mintReceipt())
			.param("createdBy", a.createdBy())
			.update();
	}

	Optional<AssetRecord> find(UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM assets WHERE id = :id").param("id", id).query(this::map).optional();
	}

	List<AssetRecord> findAll(List<UUID> ids) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM assets WHERE id = ANY(:ids)")
			.param("ids", ids.toArray(UUID[]::new))
			.query(this::map)
			.list();
	}

	/** Blobs that no asset references and that nobody touched within the grace period. */
	List<String> unreferencedBlobs(java.time.Duration grace, int limit) {
		return jdbc.sql("""
				SELECT b.sha256 FROM blobs b
				WHERE b.touched_at < now() - make_interval(secs => :grace)
				  AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.sha256 = b.sha256)
				LIMIT :limit""")
			.param("grace", (double) grace.toSeconds())
			.param("limit", limit)
			.query(String.class)
			.list();
	}

	/** Deletes the blob row only if it is still unreferenced and stale; answers whether it did. */
	boolean deleteBlob(String sha256, java.time.Duration grace) {
		return jdbc.sql("""
				DELETE FROM blobs b WHERE b.sha256 = :sha
				  AND b.touched_at < now() - make_interval(secs => :grace)
				  AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.sha256 = b.sha256)""")
			.param("sha", sha256)
			.param("grace", (double) grace.toSeconds())
			.update() == 1;
	}

	/** Removes prompt text from the provenance of assets the user made, keeping everything else. */
	int erasePrompts(UUID userId) {
		return jdbc.sql("""
				UPDATE assets SET provenance = provenance - 'prompt' - 'text' || jsonb_build_object('erased', true)
				WHERE created_by = :user AND (provenance ->> 'prompt' IS NOT NULL OR provenance ->> 'text' IS NOT NULL)""")
			.param("user", userId)
			.update();
	}

	private AssetRecord map(ResultSet rs, int row) throws SQLException {
		return new AssetRecord(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
				AssetType.parse(rs.getString("type")), rs.getString("mime_type"), rs.getLong("size_bytes"),
				rs.getString("sha256"), rs.getObject("duration_ms", Long.class), rs.getString("provider"), rs.getString("model"),
				rs.getLong("cost"), rs.getObject("job_id", UUID.class), rs.getString("name"),
				json.readValue(rs.getString("provenance"), MAP), rs.getString("provenance_hash"),
				rs.getString("mint_receipt"), rs.getObject("created_by", UUID.class),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
