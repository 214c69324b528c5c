package dev.phork.jobs;

import java.util.List;

/**
 * Published once per group-committed batch of successful endings, in its transaction, after the
 * {@link JobSucceeded} of each: the jobs as they now are, for listeners that write one row per job
 * and would rather write a batch in one statement.
 */
public record JobsSucceeded(List<JobView> jobs) {
}
