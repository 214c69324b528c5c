package dev.phork.history;

import dev.phork.common.Visibility;
import java.time.Instant;
import java.util.UUID;

/** Published in the transaction that forks {@code sourceProjectId} at {@code forkCommitId}. */
public record ProjectForked(UUID sourceProjectId, UUID sourceWorkspaceId, UUID forkId, UUID forkWorkspaceId,
		UUID forkCommitId, Visibility forkVisibility, UUID forkedBy, Instant createdAt) {
}
