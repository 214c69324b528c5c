package dev.phork.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.ScriptedProvider;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
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

	private String status(UUID jobId) {
		return db.sql("SELECT status FROM jobs WHERE id = :id").param("id", jobId).query(String.class).single();
	}

}
