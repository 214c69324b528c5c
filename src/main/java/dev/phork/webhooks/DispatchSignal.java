package dev.phork.webhooks;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Wakes this process's dispatcher when a transaction here queued deliveries. */
@Component
class DispatchSignal {

	private final Semaphore permits = new Semaphore(0);

	void wake() {
		if (permits.availablePermits() == 0) {
			permits.release();
		}
	}

	/** Waits until woken or {@code timeout} passes; wake-ups meanwhile count as one. */
	void await(Duration timeout) throws InterruptedException {
		if (permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			permits.drainPermits();
		}
	}

}
