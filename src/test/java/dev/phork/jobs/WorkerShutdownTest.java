package dev.phork.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.ScriptedProvider;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** A worker that shuts down hands the jobs it still runs back to the queue, uncounted. */
class WorkerShutdownTest extends ApiTest {

	@Autowired
	JobWorker worker;

	@Test
	void shutdownReleasesHeldJobsWhichThenCompleteOnce() {
		TestUser user = register();
		String tag = UUID.randomUUID().toString();
		UUID jobId = submit(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"park:" + tag
				+ "\",\"provider\":\"scripted\"}").assertStatus(201).uuid("id");
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!status(jobId).equals("running") && System.nanoTime() < deadline) {
			sleep(20);
		}
		assertThat(status(jobId)).isEqualTo("running");
		try {
			worker.stop();
			assertThat(status(jobId)).isEqualTo("queued");
			assertThat(db.sql("SELECT attempts FROM jobs WHERE id = :id").param("id", jobId).query(Integer.class).single())
				.isZero();
			assertThat(db.sql("SELECT lease_owner FROM jobs WHERE id = :id").param("id", jobId).query(String.class)
				.optional()).isEmpty();
		}
		finally {
			ScriptedProvider.release(tag);
			worker.start();
		}
		JsonNode done = awaitJob(user, jobId);
		assertThat(done.get("status").asString()).isEqualTo("succeeded");
		assertThat(done.get("attempts").asInt()).isEqualTo(1);
		assertThat(balance(user.workspaceId())).isEqualTo(997).isEqualTo(ledgerSum(user.workspaceId()));
	}

	/**
	 * Stopping once interrupted the rescuer and heartbeat, whose next round then ran its SQL on an
	 * interrupted thread: Hikari reported a broken connection and the transaction manager a failed
	 * rollback at every shutdown. Now the loops are woken, not interrupted, and leave quietly.
	 */
	@Test
	void stoppingTheWorkerLogsNothingFromItsLoops() {
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		ListAppender<ILoggingEvent> events = new ListAppender<>();
		events.start();
		root.addAppender(events);
		try {
			for (int round = 0; round < 3; round++) {
				sleep(400);
				worker.stop();
				worker.start();
			}
			// The rounds an interrupt used to start ran after stop() returned.
			sleep(1000);
		}
		finally {
			root.detachAppender(events);
		}
		List<String> loud = events.list.stream()
			.filter(event -> event.getThreadName().startsWith("phork-") && event.getLevel().isGreaterOrEqual(Level.WARN))
			.map(event -> event.getThreadName() + ": " + event.getFormattedMessage())
			.toList();
		assertThat(loud).isEmpty();
	}

	private String status(UUID jobId) {
		return db.sql("SELECT status FROM jobs WHERE id = :id").param("id", jobId).query(String.class).single();
	}

}
