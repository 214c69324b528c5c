package dev.phork.storyboard;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Published in the transaction that ends a pipeline: {@code status} is {@code succeeded} (with the
 * commit and version it made), {@code failed} or {@code canceled} (with the error).
 */
public record PipelineEnded(UUID pipelineId, UUID projectId, UUID workspaceId, String kind, String status,
		@Nullable UUID commitId, @Nullable UUID versionId, @Nullable String error) {
}
