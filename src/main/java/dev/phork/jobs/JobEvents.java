package dev.phork.jobs;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events for one job: an event whenever its status or progress changes, until it ends.
 * It reads the job row, so it reports work done by workers in any process.
 */
@Component
class JobEvents {

	private static final Duration POLL = Duration.ofMillis(150);

	private static final Duration MAX_STREAM = Duration.ofMinutes(30);

	private final Jobs jobs;

	JobEvents(Jobs jobs) {
		this.jobs = jobs;
	}

	SseEmitter stream(UUID jobId) {
		SseEmitter emitter = new SseEmitter(MAX_STREAM.toMillis());
		Thread.ofVirtual().name("phork-sse-" + jobId).start(() -> {
			String last = null;
			long deadline = System.nanoTime() + MAX_STREAM.toNanos();
			try {
				while (System.nanoTime() < deadline) {
					JobView job = jobs.find(jobId).orElseThrow().view();
					String state = job.status().json() + "|" + job.progress();
					if (!Objects.equals(state, last)) {
						last = state;
						emitter.send(SseEmitter.event().name(job.status().terminal() ? "done" : "progress").id(state).data(job));
					}
					if (job.status().terminal()) {
						emitter.complete();
						return;
					}
					Thread.sleep(POLL);
				}
				emitter.complete();
			}
			catch (IOException | IllegalStateException ex) {
				// The client went away.
				emitter.completeWithError(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				emitter.complete();
			}
		});
		return emitter;
	}

}
