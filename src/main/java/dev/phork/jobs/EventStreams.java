package dev.phork.jobs;

import dev.phork.common.Ids;
import dev.phork.common.ProblemException;
import dev.phork.identity.Caller;
import dev.phork.identity.Role;
import dev.phork.identity.WorkspaceAccess;
import dev.phork.identity.WorkspaceAccess.Seat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of something whose state lives in the database (a job, a pipeline), built so
 * that open streams cost the database nothing while nothing happens, and end when nobody listens.
 *
 * <p>A stream reads the state when it opens and then only when told its subject changed: the
 * transactions that change a job's status or progress, or a pipeline's status, NOTIFY the id
 * (triggers of migrations V14 and V19; only for subjects some stream has registered in
 * {@code stream_watches}, since every notifying commit waits for the one before it), and the one listening connection of this process
 * ({@link JobNotifications}) hands it to {@link #changed}. An event goes out whenever the state
 * differs from the last one sent ({@code progress}, then {@code done}, after which the stream
 * ends). A notification can only be lost while that connection is down, so every stream re-reads
 * once it is back ({@link #resync}); each also re-reads every {@code resync} as a last safety net.
 *
 * <p>A comment line goes out every {@code heartbeat}: the write fails once the client has gone, and
 * the stream ends at once, its thread and its place in the per-user count with it (before, a gone
 * client was noticed only at the next change of state, up to 30 minutes later). Streams also end
 * after {@code maxDuration}, on any error, when the server stops, and when their caller is no longer
 * a member of the subject's workspace: every {@code recheck}, one query looks up the seats of all
 * open streams, so the check costs the same for one stream or a thousand. A user holds at most
 * {@code maxPerUser} streams at once in this process; one more is a 429.
 */
@Component
public class EventStreams implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

	private final WorkspaceAccess access;

	private final EventSettings settings;

	private final JdbcClient jdbc;

	private final Set<Stream<?>> open = ConcurrentHashMap.newKeySet();

	private final Map<UUID, Set<Stream<?>>> bySubject = new ConcurrentHashMap<>();

	private final Map<UUID, Integer> perUser = new ConcurrentHashMap<>();

	private volatile boolean stopped;

	private @Nullable Thread rechecker;

	EventStreams(WorkspaceAccess access, EventSettings settings, JdbcClient jdbc, MeterRegistry meters) {
		this.access = access;
		this.settings = settings;
		this.jdbc = jdbc;
		Gauge.builder("phork.sse.streams", open, Set::size)
			.description("Server-Sent Event streams open in this process")
			.register(meters);
	}

	/**
	 * Opens a stream of {@code subject} for a caller already allowed to read it, as a member of
	 * {@code workspaceId}; refused with 429 when the caller holds too many streams already.
	 */
	public <T> SseEmitter open(Caller caller, UUID workspaceId, UUID subject, Supplier<T> read,
			Function<T, String> state, Predicate<T> ended) {
		UUID user = caller.userId();
		perUser.compute(user, (key, count) -> {
			int held = count == null ? 0 : count;
			if (held >= settings.maxPerUser()) {
				throw tooMany();
			}
			return held + 1;
		});
		// The container's own timeout only backs up the stream's deadline, which ends it cleanly first.
		SseEmitter emitter = new SseEmitter(settings.maxDuration().plus(settings.heartbeat()).toMillis());
		Stream<T> stream = new Stream<>(subject, new Seat(user, workspaceId), emitter, read, state, ended);
		try {
			// Registered before the first read, so a change committed after that read is notified.
			jdbc.sql("INSERT INTO stream_watches (id, subject_id) VALUES (:id, :subject)")
				.param("id", stream.id)
				.param("subject", subject)
				.update();
		}
		catch (RuntimeException ex) {
			unseat(user);
			throw ex;
		}
		open.add(stream);
		bySubject.computeIfAbsent(subject, key -> ConcurrentHashMap.newKeySet()).add(stream);
		emitter.onCompletion(stream::close);
		emitter.onTimeout(stream::close);
		emitter.onError(error -> stream.close());
		stream.thread = Thread.ofVirtual().name("phork-sse-" + subject).unstarted(stream);
		stream.thread.start();
		return emitter;
	}

	/** The state of {@code subject} changed: its streams read it again. */
	void changed(UUID subject) {
		Set<Stream<?>> streams = bySubject.get(subject);
		if (streams != null) {
			streams.forEach(Stream::wake);
		}
	}

	/** Notifications may have been missed (the listening connection was down): every stream reads again. */
	void resync() {
		open.forEach(Stream::wake);
	}

	private ProblemException tooMany() {
		long retryAfter = Math.max(1, settings.heartbeat().multipliedBy(2).toSeconds());
		return new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "too_many_streams",
				"You have " + settings.maxPerUser() + " event streams open, the most allowed; close one first. "
						+ "A stream whose client went away is released within two heartbeats.",
				Map.of("retryAfterSeconds", retryAfter));
	}

	private void release(Stream<?> stream) {
		open.remove(stream);
		bySubject.computeIfPresent(stream.subject, (key, streams) -> {
			streams.remove(stream);
			return streams.isEmpty() ? null : streams;
		});
		unseat(stream.seat.userId());
		try {
			jdbc.sql("DELETE FROM stream_watches WHERE id = :id").param("id", stream.id).update();
		}
		catch (RuntimeException ex) {
			log.warn("Could not unregister the event stream of {}; the sweep removes it: {}", stream.subject, ex.toString());
		}
	}

	private void unseat(UUID user) {
		perUser.computeIfPresent(user, (key, count) -> count <= 1 ? null : count - 1);
	}

	/** Removes the registrations of streams that cannot be open any more (their process died). */
	private void sweepWatches() {
		jdbc.sql("DELETE FROM stream_watches WHERE opened_at < now() - CAST(:age AS interval)")
			.param("age", settings.maxDuration().plusMinutes(1).toSeconds() + " seconds")
			.update();
	}

	/** Ends the streams whose caller is no longer a member of the subject's workspace. */
	private void recheckLoop() {
		while (!stopped) {
			LockSupport.parkNanos(settings.recheck().toNanos());
			if (open.isEmpty() || stopped) {
				continue;
			}
			try {
				sweepWatches();
				List<Stream<?>> streams = List.copyOf(open);
				Map<Seat, Role> seated = access.roles(streams.stream().map(s -> s.seat).collect(Collectors.toSet()));
				streams.stream().filter(s -> !seated.containsKey(s.seat)).forEach(Stream::close);
			}
			catch (RuntimeException ex) {
				log.warn("Could not re-check the access of event streams; trying again in {}: {}", settings.recheck(),
						ex.toString());
			}
		}
	}

	@Override
	public void start() {
		stopped = false;
		rechecker = Thread.ofVirtual().name("phork-sse-recheck").start(this::recheckLoop);
	}

	/** Ends every stream, so that a graceful shutdown does not wait for them; clients reconnect elsewhere. */
	@Override
	public void stop() {
		stopped = true;
		if (rechecker != null) {
			LockSupport.unpark(rechecker);
			rechecker = null;
		}
		open.forEach(Stream::close);
	}

	@Override
	public boolean isRunning() {
		return rechecker != null;
	}

	@Override
	public int getPhase() {
		// Stops before the web server's graceful shutdown (a lower phase), which waits for open requests.
		return Integer.MAX_VALUE - 300;
	}

	/** One open stream, run by a virtual thread of its own that sleeps until there is something to do. */
	private final class Stream<T> implements Runnable {

		final UUID id = Ids.newId();

		final UUID subject;

		final Seat seat;

		final SseEmitter emitter;

		final Supplier<T> read;

		final Function<T, String> state;

		final Predicate<T> ended;

		final AtomicBoolean changed = new AtomicBoolean(true);

		volatile boolean closed;

		volatile @Nullable Thread thread;

		Stream(UUID subject, Seat seat, SseEmitter emitter, Supplier<T> read, Function<T, String> state,
				Predicate<T> ended) {
			this.subject = subject;
			this.seat = seat;
			this.emitter = emitter;
			this.read = read;
			this.state = state;
			this.ended = ended;
		}

		void wake() {
			changed.set(true);
			LockSupport.unpark(thread);
		}

		void close() {
			closed = true;
			LockSupport.unpark(thread);
		}

		@Override
		public void run() {
			long now = System.nanoTime();
			long deadline = now + settings.maxDuration().toNanos();
			long nextHeartbeat = now + settings.heartbeat().toNanos();
			long nextResync = now + settings.resync().toNanos();
			String last = null;
			try {
				while (!closed && now - deadline < 0) {
					if (changed.getAndSet(false) || now - nextResync >= 0) {
						nextResync = now + settings.resync().toNanos();
						T current = read.get();
						String currentState = state.apply(current);
						boolean done = ended.test(current);
						if (!currentState.equals(last)) {
							last = currentState;
							emitter.send(SseEmitter.event().name(done ? "done" : "progress").id(currentState).data(current));
						}
						if (done || stopped) {
							break;
						}
					}
					if (now - nextHeartbeat >= 0) {
						emitter.send(SseEmitter.event().comment("heartbeat"));
						nextHeartbeat = now + settings.heartbeat().toNanos();
					}
					LockSupport.parkNanos(Math.min(deadline - now, Math.min(nextHeartbeat - now, nextResync - now)));
					now = System.nanoTime();
				}
				emitter.complete();
			}
			catch (IOException ex) {
				// The client went away; the container ends the request.
				emitter.completeWithError(ex);
			}
			catch (RuntimeException ex) {
				// A send after the container ended the request (closed) fails too; only other failures are news.
				if (!closed) {
					log.warn("Event stream of {} failed; ending it: {}", subject, ex.toString());
				}
				emitter.complete();
			}
			finally {
				release(this);
			}
		}

	}

}
