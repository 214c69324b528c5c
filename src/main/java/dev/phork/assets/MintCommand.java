package dev.phork.assets;

import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What minting an asset needs: stored bytes, what they are, and how they were made.
 *
 * @param provenance the inputs that produced the asset (prompt, seed, source assets, settings)
 */
public record MintCommand(UUID workspaceId, AssetType type, Blob blob, String mimeType, @Nullable Long durationMs,
		String provider, String model, long cost, @Nullable UUID jobId, @Nullable String name,
		Map<String, Object> provenance, UUID createdBy) {
}
