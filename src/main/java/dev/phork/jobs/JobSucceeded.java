package dev.phork.jobs;

import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Published in the transaction that marks a job succeeded, with the asset it minted. */
public record JobSucceeded(UUID jobId, UUID workspaceId, @Nullable UUID pipelineId, JobType type, UUID assetId,
		Map<String, Object> request) {
}
