package dev.phork.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

public record JobView(UUID id, UUID workspaceId, @Nullable UUID projectId, JobType type, JobStatus status, double progress,
		long cost, String idempotencyKey, Map<String, Object> request, @Nullable UUID resultAssetId, @Nullable String error,
		int attempts, Instant createdAt, @Nullable Instant startedAt, @Nullable Instant finishedAt) {
}
