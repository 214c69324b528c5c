package dev.phork.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled whether this process runs workers ({@code serve} and {@code worker} do)
 * @param concurrency jobs this process runs at once
 */
@ConfigurationProperties("phork.worker")
record WorkerSettings(boolean enabled, int concurrency) {
}
