package dev.phork.jobs;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param prices credits per job type ({@code gen_video} 25, {@code gen_audio} 5, {@code gen_image} 3,
 * {@code animate} 20, {@code render} 15)
 * @param dailyQuota jobs a workspace may submit per UTC day
 * @param maxRunning jobs of one workspace that may run at once; more wait in the queue
 * @param maxAttempts attempts before a job that keeps failing transiently fails for good
 * @param lease how long a claim lasts without a heartbeat
 * @param backoff base delay of the exponential backoff between attempts (with jitter)
 * @param rescueInterval how often expired leases are looked for
 * @param pollInterval the safety-net poll of idle workers, in case a notification is lost
 */
@ConfigurationProperties("phork.jobs")
record JobSettings(Map<String, Long> prices, int dailyQuota, int maxRunning, int maxAttempts, Duration lease,
		Duration backoff, Duration rescueInterval, Duration pollInterval) {

	long price(JobType type) {
		Long price = prices.get(type.json());
		if (price == null) {
			throw new IllegalStateException("no price configured for " + type.json());
		}
		return price;
	}

}
