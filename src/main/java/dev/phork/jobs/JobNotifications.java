package dev.phork.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Cross-process wake-ups over PostgreSQL LISTEN/NOTIFY, on one listening connection per process.
 *
 * <p>Submissions do not NOTIFY inside their own transactions: a NOTIFY takes a database-wide lock at
 * commit, which would serialize every submitting transaction behind it. Instead a submission marks
 * "something was queued" after it commits, and one sender thread turns any number of such marks
 * into a single NOTIFY (debounce), in its own tiny transaction. Listening workers in any process then
 * claim from the queue; local workers are woken directly without the round trip.
 *
 * <p>The same connection listens on {@link #CHANGES}, where triggers send the id of a job or pipeline
 * whose state changed, and hands each id to the {@link EventStreams} watching it. Those triggers fire
 * in the workers' claim and ending transactions, which are batched (one per group of jobs) and few
 * beside the submissions, and never on an insert, so submissions keep their commits free of the lock.
 * Every (re)connection makes all streams read again: what changed while the connection was down was
 * not heard.
 */
@Component
class JobNotifications implements SmartLifecycle {

	static final String CHANNEL = "phork_jobs";

	/** Ids of jobs and pipelines whose state changed (migration V14). */
	static final String CHANGES = "phork_changes";

	private static final Logger log = LoggerFactory.getLogger(JobNotifications.class);

	private final DataSource dataSource;

	private final JobSignal signal;

	private final WorkerSettings worker;

	private final EventStreams streams;

	private final AtomicBoolean pending = new AtomicBoolean();

	private volatile boolean running;

	private Thread sender;

	private Thread listener;

	JobNotifications(DataSource dataSource, JobSignal signal, WorkerSettings worker, EventStreams streams) {
		this.dataSource = dataSource;
		this.signal = signal;
		this.worker = worker;
		this.streams = streams;
	}

	/** Called after a job became due (submitted, retried, rescued, released). */
	void jobQueued() {
		signal.wake();
		if (pending.compareAndSet(false, true) && sender != null) {
			LockSupport.unpark(sender);
		}
	}

	@Override
	public void start() {
		running = true;
		sender = Thread.ofPlatform().daemon().name("phork-notify-sender").start(this::sendLoop);
		listener = Thread.ofPlatform().daemon().name("phork-notify-listener").start(this::listenLoop);
	}

	@Override
	public void stop() {
		running = false;
		LockSupport.unpark(sender);
		listener.interrupt();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		// Stops after the workers (which use a higher phase), starts before them.
		return Integer.MAX_VALUE - 200;
	}

	private void sendLoop() {
		while (running) {
			if (!pending.getAndSet(false)) {
				LockSupport.parkNanos(50_000_000L);
				continue;
			}
			try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
				s.execute("SELECT pg_notify('" + CHANNEL + "', '')");
			}
			catch (SQLException ex) {
				log.warn("NOTIFY failed; workers will find the job on their next poll: {}", ex.getMessage());
				LockSupport.parkNanos(1_000_000_000L);
			}
		}
	}

	private void changed(String id) {
		try {
			streams.changed(UUID.fromString(id));
		}
		catch (IllegalArgumentException ex) {
			log.warn("Ignored a notification on {} that names no id: {}", CHANGES, id);
		}
	}

	private void listenLoop() {
		while (running) {
			try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
				s.execute("LISTEN " + CHANGES);
				if (worker.enabled()) {
					s.execute("LISTEN " + CHANNEL);
				}
				streams.resync();
				PGConnection pg = c.unwrap(PGConnection.class);
				while (running) {
					PGNotification[] notifications = pg.getNotifications(1000);
					if (notifications == null) {
						continue;
					}
					boolean queued = false;
					for (PGNotification notification : notifications) {
						if (notification.getName().equals(CHANNEL)) {
							queued = true;
						}
						else {
							changed(notification.getParameter());
						}
					}
					if (queued) {
						signal.wake();
					}
				}
			}
			catch (SQLException ex) {
				if (running) {
					log.warn("LISTEN connection lost, reconnecting: {}", ex.getMessage());
					LockSupport.parkNanos(1_000_000_000L);
				}
			}
		}
	}

}
