package dev.phork.jobs;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param prices credits per job type ({@code gen_video} 25, {@code gen_audio} 5, {@code gen_image} 3,
 * {@code animate} 20); for {@code render} (15) the least a render costs
 * @param renderPricePerSecond credits per second of a render's output (1; may be fractional), the
 * total rounded up to whole credits, never below the render price
 * @param renderMaxDuration the longest output a render may be submitted for; longer ones are refused
 * @param renderTimeout how long a render may take in all; one that takes longer fails (and is refunded)
 * @param dailyQuota jobs a workspace may submit per UTC day
 * @param maxRunning jobs of one workspace that may run at once; more wait in the queue
 * @param maxAttempts attempts before a job that keeps failing transiently fails for good
 * @param lease how long a claim lasts without a heartbeat
 * @param backoff base delay of the exponential backoff between attempts (with jitter)
 * @param rescueInterval how often expired leases are looked for
 * @param pollInterval the safety-net poll of idle workers, in case a notification is lost
 */
@ConfigurationProperties("phork.jobs")
record JobSettings(Map<String, Long> prices, BigDecimal renderPricePerSecond, Duration renderMaxDuration,
		Duration renderTimeout, int dailyQuota, int maxRunning, int maxAttempts, Duration lease, Duration backoff,
		Duration rescueInterval, Duration pollInterval) {

	private static final BigDecimal MS_PER_SECOND = BigDecimal.valueOf(1000);

	/** The flat price of a job type; for renders, their minimum (see {@link #renderPrice}). */
	long price(JobType type) {
		Long price = prices.get(type.json());
		if (price == null) {
			throw new IllegalStateException("no price configured for " + type.json());
		}
		return price;
	}

	/**
	 * What a render of {@code durationMs} of output costs: the per-second rate, rounded up to whole
	 * credits, and at least the render price. Its work (a segment per scene, the join) grows with the
	 * output, so a flat price would let one long render cost as little as a short one.
	 */
	long renderPrice(long durationMs) {
		long byLength = renderPricePerSecond.multiply(BigDecimal.valueOf(durationMs))
			.divide(MS_PER_SECOND, 0, RoundingMode.CEILING)
			.longValueExact();
		return Math.max(price(JobType.RENDER), byLength);
	}

}
