package dev.phork.history;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

public record CommitView(UUID id, UUID projectId, @Nullable UUID parentCommitId, String message, Timeline timeline,
		UUID authorId, Instant createdAt) {
}
