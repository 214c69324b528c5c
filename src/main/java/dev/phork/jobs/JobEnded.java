package dev.phork.jobs;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Published in the transaction that ends a job as failed or canceled (after its refund), with the
 * job as it ended.
 */
public record JobEnded(UUID jobId, @Nullable UUID pipelineId, JobStatus status, @Nullable String error, JobView job) {
}
