package dev.phork.history;

import java.time.Instant;
import java.util.UUID;

/** Published in the transaction that records a version: a render of a commit that succeeded. */
public record VersionCreated(UUID versionId, UUID projectId, UUID workspaceId, UUID commitId, UUID renderAssetId,
		Instant createdAt) {
}
