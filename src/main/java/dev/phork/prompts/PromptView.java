package dev.phork.prompts;

import dev.phork.common.Visibility;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

public record PromptView(UUID id, UUID workspaceId, String title, String body, Visibility visibility,
		@Nullable UUID parentPromptId, UUID rootPromptId, int forkCount, UUID createdBy, Instant createdAt,
		Instant updatedAt) {
}
