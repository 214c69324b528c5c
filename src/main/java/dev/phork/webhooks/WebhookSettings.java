package dev.phork.webhooks;

import dev.phork.common.StartupFailure;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param timeout how long one attempt may take, connecting and answering; longer is a failure
 * @param retrySchedule the delay before each attempt, the first included (Standard Webhooks' example
 *     by default: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h); after the last
 *     attempt fails, the delivery gives up
 * @param disableAfter an endpoint whose every attempt has failed for this long is disabled
 * @param allowHttp whether {@code http} URLs are accepted besides {@code https}
 * @param allowPrivateUrls whether URLs resolving to loopback, private, link-local or multicast
 *     addresses are accepted (self-hosted setups, tests)
 * @param pollInterval how often an idle dispatcher looks for due deliveries; a change in this
 *     process wakes it at once, the poll is for other processes' events and for retries
 * @param concurrency deliveries one process has in flight at once
 */
@ConfigurationProperties("phork.webhooks")
record WebhookSettings(Duration timeout, List<Duration> retrySchedule, Duration disableAfter, boolean allowHttp,
		boolean allowPrivateUrls, Duration pollInterval, int concurrency) {

	WebhookSettings {
		if (retrySchedule.isEmpty() || retrySchedule.stream().anyMatch(Duration::isNegative)) {
			throw new StartupFailure("PHORK_WEBHOOK_RETRY_SCHEDULE (phork.webhooks.retry-schedule) must list at least one"
					+ " delay, none negative, such as 0s,5s,5m; it is " + retrySchedule + ".");
		}
		if (timeout.isNegative() || timeout.isZero() || concurrency < 1) {
			throw new StartupFailure("PHORK_WEBHOOK_TIMEOUT must be positive and PHORK_WEBHOOK_CONCURRENCY at least 1.");
		}
		retrySchedule = List.copyOf(retrySchedule);
	}

	/**
	 * How long a claimed delivery is held before another dispatcher may take it: longer than an
	 * attempt can last, so a live dispatcher's delivery is not sent twice, and short enough that a
	 * dead one's is soon sent by another.
	 */
	Duration lease() {
		return timeout.multipliedBy(2).plusSeconds(5);
	}

}
