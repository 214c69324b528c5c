package dev.phork.assets;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An asset as clients see it, with a content URL signed for the workspace it was read through. */
public record AssetView(UUID id, UUID workspaceId, AssetType type, String mimeType, long sizeBytes, String sha256,
		@Nullable Long durationMs, String provider, String model, long cost, @Nullable UUID jobId, @Nullable String name,
		Map<String, Object> provenance, String mintReceipt, String url, Instant urlExpiresAt, Instant createdAt) {
}
