package dev.phork.history;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An immutable commit. A merge commit has a second parent, {@code mergeParentId}: the commit merged
 * in; its history is part of this commit's.
 */
public record CommitView(UUID id, UUID projectId, @Nullable UUID parentCommitId, @Nullable UUID mergeParentId,
		String message, Timeline timeline, UUID authorId, Instant createdAt) {
}
