package dev.phork.prompts;

import dev.phork.common.Visibility;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * @param erasedAt when the author erased their data; the title is then a placeholder and the body
 * empty
 */
public record PromptView(UUID id, UUID workspaceId, String title, String body, Visibility visibility,
		@Nullable UUID parentPromptId, UUID rootPromptId, int forkCount, UUID createdBy, Instant createdAt,
		Instant updatedAt, @Nullable Instant erasedAt) {
}
