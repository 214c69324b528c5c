package dev.phork.common;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events for something whose state lives in the database (a job, a pipeline): it is
 * read again every {@link #POLL}, an event goes out whenever its state changes ({@code progress},
 * then {@code done} when it ends). Reading the row means work done by any process is reported.
 */
public final class PolledEvents {

	private static final Duration POLL = Duration.ofMillis(150);

	private static final Duration MAX_STREAM = Duration.ofMinutes(30);

	private PolledEvents() {
	}

	public static <T> SseEmitter stream(String name, Supplier<T> read, Function<T, String> state, Predicate<T> ended) {
		SseEmitter emitter = new SseEmitter(MAX_STREAM.toMillis());
		Thread.ofVirtual().name("phork-sse-" + name).start(() -> {
			String last = null;
			long deadline = System.nanoTime() + MAX_STREAM.toNanos();
			try {
				while (System.nanoTime() < deadline) {
					T current = read.get();
					String now = state.apply(current);
					boolean done = ended.test(current);
					if (!Objects.equals(now, last)) {
						last = now;
						emitter.send(SseEmitter.event().name(done ? "done" : "progress").id(now).data(current));
					}
					if (done) {
						break;
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
