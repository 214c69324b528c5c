package dev.phork.history;

import dev.phork.common.Visibility;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

public record ProjectView(UUID id, UUID workspaceId, String name, @Nullable String description, Visibility visibility,
		UUID headCommitId, @Nullable UUID parentProjectId, UUID rootProjectId, @Nullable UUID forkCommitId, int forkCount,
		Instant createdAt, Instant updatedAt) {
}
