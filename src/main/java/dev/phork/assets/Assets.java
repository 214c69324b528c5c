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

	/**
	 * Registers (or refreshes) stored blobs in a transaction of their own, so the sweeper finds their
	 * bytes even if the assets that should reference them are never minted.
	 */
	void touchBlobs(List<Blob> blobs) {
		jdbc.sql("""
				INSERT INTO blobs (sha256, size_bytes)
				SELECT DISTINCT ON (b.sha) b.sha, b.size
				FROM unnest(CAST(:shas AS text[]), CAST(:sizes AS bigint[])) AS b(sha, size)
				ORDER BY b.sha
				ON CONFLICT (sha256) DO UPDATE SET touched_at = now()""")
			.param("shas", blobs.stream().map(Blob::sha256).toArray(String[]::new))
			.param("sizes", blobs.stream().map(Blob::sizeBytes).toArray(Long[]::new))
			.update();
	}

	/** Inserts minted assets in one statement. */
	void insertAll(List<AssetRecord> records) {
		jdbc.sql("""
				INSERT INTO assets (id, workspace_id, type, mime_type, size_bytes, sha256, duration_ms, provider, model,
				                    cost, job_id, name, provenance, provenance_hash, mint_receipt, created_by)
				SELECT a.id, a.workspace, a.type, a.mime, a.size, a.sha, a.duration, a.provider, a.model, a.cost, a.job,
				       a.name, CAST(a.provenance AS jsonb), a.provenance_hash, a.receipt, a.created_by
				FROM unnest(CAST(:ids AS uuid[]), CAST(:workspaces AS uuid[]), CAST(:types AS text[]), CAST(:mimes AS text[]),
				            CAST(:sizes AS bigint[]), CAST(:shas AS text[]), CAST(:durations AS bigint[]),
				            CAST(:providers AS text[]), CAST(:models AS text[]), CAST(:costs AS bigint[]),
				            CAST(:jobs AS uuid[]), CAST(:names AS text[]), CAST(:provenances AS text[]),
				            CAST(:provenanceHashes AS text[]), CAST(:receipts AS text[]), CAST(:creators AS uuid[]))
				     AS a(id, workspace, type, mime, size, sha, duration, provider, model, cost, job, name, provenance,
				          provenance_hash, receipt, created_by)""")
			.param("ids", records.stream().map(AssetRecord::id).toArray(UUID[]::new))
			.param("workspaces", records.stream().map(AssetRecord::workspaceId).toArray(UUID[]::new))
			.param("types", records.stream().map(a -> a.type().json()).toArray(String[]::new))
			.param("mimes", records.stream().map(AssetRecord::mimeType).toArray(String[]::new))
			.param("sizes", records.stream().map(AssetRecord::sizeBytes).toArray(Long[]::new))
			.param("shas", records.stream().map(AssetRecord::sha256).toArray(String[]::new))
			.param("durations", records.stream().map(AssetRecord::durationMs).toArray(Long[]::new))
			.param("providers", records.stream().map(AssetRecord::provider).toArray(String[]::new))
			.param("models", records.stream().map(AssetRecord::model).toArray(String[]::new))
			.param("costs", records.stream().map(AssetRecord::cost).toArray(Long[]::new))
			.param("jobs", records.stream().map(AssetRecord::jobId).toArray(UUID[]::new))
			.param("names", records.stream().map(AssetRecord::name).toArray(String[]::new))
			.param("provenances", records.stream().map(a -> json.writeValueAsString(a.provenance())).toArray(String[]::new))
			.param("provenanceHashes", records.stream().map(AssetRecord::provenanceHash).toArray(String[]::new))
			.param("receipts", records.stream().map(AssetRecord::mintReceipt).toArray(String[]::new))
			.param("creators", records.stream().map(AssetRecord::createdBy).toArray(UUID[]::new))
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

	/**
	 * Removes the given keys, at any depth, from the provenance of the assets the user made and marks
	 * exactly the provenance that changed as erased. The receipt signs the hash taken at minting, so
	 * it still verifies.
	 */
	int erasePrompts(UUID userId, List<String> keys) {
		return jdbc.sql("""
				UPDATE assets SET provenance = jsonb_without_keys(provenance, :keys) || jsonb_build_object('erased', true)
				WHERE created_by = :user AND jsonb_without_keys(provenance, :keys) <> provenance""")
			.param("user", userId)
			.param("keys", keys.toArray(String[]::new))
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
