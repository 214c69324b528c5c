package dev.phork.history;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Published in the transaction that appends a commit to a project. */
public record CommitCreated(UUID commitId, UUID projectId, UUID workspaceId, @Nullable UUID parentCommitId,
		UUID authorId, Instant createdAt) {
}
