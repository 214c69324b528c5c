package dev.phork.assets;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A stored asset row, for other features (render, the closed-ecosystem check). */
public record AssetRecord(UUID id, UUID workspaceId, AssetType type, String mimeType, long sizeBytes, String sha256,
		@Nullable Long durationMs, String provider, String model, long cost, @Nullable UUID jobId, @Nullable String name,
		Map<String, Object> provenance, String provenanceHash, String mintReceipt, UUID createdBy, Instant createdAt) {
}
