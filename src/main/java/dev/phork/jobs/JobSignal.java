package dev.phork.jobs;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Wakes idle workers in this process. A wake-up is a hint, never a hand-off: a woken worker claims
 * from the database, so extra or lost wake-ups cost at most one empty claim or one poll interval.
 */
@Component
class JobSignal {

	private final Semaphore permits = new Semaphore(0);

	private static final int MAX_PENDING = 64;

	void wake() {
		if (permits.availablePermits() < MAX_PENDING) {
			permits.release();
		}
	}

	/** Waits for a wake-up or the timeout; answers whether it was woken. */
	boolean await(Duration timeout) throws InterruptedException {
		return permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

}
