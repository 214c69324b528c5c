package dev.phork.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * When a failed attempt is tried again: the schedule's next delay, with up to 10% jitter added so
 * that deliveries failed together do not come back together, or the receiver's {@code Retry-After}
 * when it asks for longer (up to a day). Answers empty when the schedule is used up.
 */
record RetrySchedule(List<Duration> delays) {

	static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

	/** The delay before the first attempt. */
	Duration first() {
		return delays.getFirst();
	}

	/**
	 * @param failedAttempt the attempt that just failed, 1 for the first
	 * @param retryAfter what the receiver asked for, if anything
	 * @param random a number in [0, 1), the jitter's share
	 */
	Optional<Duration> after(int failedAttempt, @Nullable Duration retryAfter, double random) {
		if (failedAttempt >= delays.size()) {
			return Optional.empty();
		}
		Duration delay = delays.get(failedAttempt);
		delay = delay.plusMillis((long) (delay.toMillis() * 0.1 * random));
		if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
			delay = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
		}
		return Optional.of(delay);
	}

}
