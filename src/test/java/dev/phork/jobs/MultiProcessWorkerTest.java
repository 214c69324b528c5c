package dev.phork.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.phork.ApiTest;
import dev.phork.PhorkApplication;
import dev.phork.common.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A second process, started as {@code phork worker} on the same database and data folder, claims
 * jobs beside this server's workers: SKIP LOCKED hands each job to exactly one of them.
 */
class MultiProcessWorkerTest extends ApiTest {

	@Autowired
	HikariDataSource dataSource;

	@Autowired
	DataDirectory dataDirectory;

	@TempDir
	Path tmp;

	@Test
	void workerProcessesShareTheQueueAndEachJobRunsOnce() throws Exception {
		Path log = tmp.resolve("worker.log");
		Process worker = env(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), PhorkApplication.class.getName(), "worker"))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			awaitLine(worker, log, "job workers");
			TestUser user = register();
			// Large enough images that this server's four workers cannot keep up alone.
			List<UUID> ids = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				ids.add(submit(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"solid " + i
						+ "\",\"provider\":\"solid\",\"width\":1024,\"height\":1024}").assertStatus(201).uuid("id"));
			}
			for (UUID id : ids) {
				assertThat(awaitJob(user, id).get("status").asString()).isEqualTo("succeeded");
			}
			List<String> workers = db.sql("SELECT DISTINCT last_worker FROM jobs WHERE id = ANY(:ids)")
				.param("ids", ids.toArray(UUID[]::new)).query(String.class).list();
			assertThat(workers).hasSize(2);
			assertThat(db.sql("SELECT count(*) FROM assets WHERE job_id = ANY(:ids)").param("ids", ids.toArray(UUID[]::new))
				.query(Long.class).single()).isEqualTo(40);
			assertThat(db.sql("SELECT max(attempts) FROM jobs WHERE id = ANY(:ids)").param("ids", ids.toArray(UUID[]::new))
				.query(Integer.class).single()).isEqualTo(1);
			assertThat(balance(user.workspaceId())).isEqualTo(1000 - 40 * 3).isEqualTo(ledgerSum(user.workspaceId()));
		}
		finally {
			worker.destroy();
			worker.waitFor();
		}
	}

	private ProcessBuilder env(ProcessBuilder builder) {
		builder.environment().put("PHORK_DATABASE_URL", dataSource.getJdbcUrl());
		builder.environment().put("PHORK_DATABASE_USERNAME", dataSource.getUsername());
		builder.environment().put("PHORK_DATABASE_PASSWORD", dataSource.getPassword());
		builder.environment().put("PHORK_DATA_DIR", dataDirectory.root().toString());
		builder.environment().put("PHORK_POLL_INTERVAL", "200ms");
		return builder;
	}

	private static void awaitLine(Process process, Path log, String text) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < deadline) {
			if (Files.readString(log).contains(text)) {
				return;
			}
			if (!process.isAlive()) {
				throw new AssertionError("the worker process exited:\n" + Files.readString(log));
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the worker process did not start:\n" + Files.readString(log));
	}

}
