package dev.phork.common.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.phork.ApiTest;
import dev.phork.Http;
import dev.phork.PhorkProcess;
import dev.phork.TcpProxy;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database going away and coming back, for real: a second Phork process reaches this test's
 * PostgreSQL through a TCP forwarder the test cuts (every connection dropped, nothing listening) and
 * restores. Requests fail fast with 503 {@code database_unavailable}, readiness follows the
 * database, a worker started while it is away waits for it; and a COMMIT whose connection breaks is
 * told apart from one the database refused.
 */
class DatabaseOutageTest extends ApiTest {

	@Autowired
	HikariDataSource dataSource;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Test
	void requestsFailFastReadinessFollowsTheDatabaseAndAWorkerWaitsForIt() throws Exception {
		URI database = URI.create(dataSource.getJdbcUrl().substring("jdbc:".length()));
		try (TcpProxy proxy = new TcpProxy(database.getPort());
				PhorkProcess server = PhorkProcess.start("serve", env(proxy, "PHORK_WORKER_ENABLED", "false"))) {
			Http other = new Http("http://localhost:" + server.awaitPort(), json);
			server.awaitLine("pool:      10 connections (the database's max_connections: ");
			String token = other.post("/auth/register", null, "{\"email\":\"outage" + UUID.randomUUID()
					+ "@example.com\",\"password\":\"correct horse battery\",\"name\":\"Outage\"}").assertStatus(201).json()
				.get("token").asString();
			other.get("/projects", token).assertStatus(200);
			other.get("/readyz", null).assertStatus(200);

			proxy.down();
			long start = System.nanoTime();
			Http.Response refused = other.get("/projects", token);
			long waitedMs = (System.nanoTime() - start) / 1_000_000;
			refused.assertProblem(503, "database_unavailable");
			assertThat(refused.header("Retry-After")).isEqualTo("5");
			// Hikari's own default would hold the request 30 s; the pool gives up after 2 s (and the
			// request may first meet a connection the cut broke). Generous for a loaded machine.
			assertThat(waitedMs).as("ms until 503").isLessThan(20_000);
			other.get("/readyz", null).assertStatus(503);

			try (PhorkProcess worker = PhorkProcess.start("worker", env(proxy))) {
				worker.awaitLine("Waiting for the database at jdbc:postgresql://127.0.0.1:" + proxy.port());
				proxy.up();
				worker.awaitLine("The database at jdbc:postgresql://127.0.0.1:" + proxy.port() + "/");
				worker.awaitLine("job workers");
			}
			awaitReady(other);
			other.get("/projects", token).assertStatus(200);
		}
	}

	@Test
	void aCommitWhoseConnectionBreaksHasAnUnknownOutcome() {
		TransactionTemplate tx = new TransactionTemplate(transactionManager);
		String name = "outcome-" + UUID.randomUUID();
		assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
			db.sql("INSERT INTO shared_secrets (name, fingerprint) VALUES (:n, 'x')").param("n", name).update();
			int pid = db.sql("SELECT pg_backend_pid()").query(Integer.class).single();
			try (Connection another = dataSource.getConnection(); Statement s = another.createStatement()) {
				s.execute("SELECT pg_terminate_backend(" + pid + ")");
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		})).isInstanceOf(CommitOutcomeUnknown.class);
		assertThat(db.sql("SELECT count(*) FROM shared_secrets WHERE name = :n").param("n", name).query(Long.class).single())
			.isZero();
		// A COMMIT the database refuses is an ordinary failure, its outcome known: nothing was made.
		assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
			db.sql("CREATE TEMP TABLE deferred_probe (id int PRIMARY KEY DEFERRABLE INITIALLY DEFERRED) ON COMMIT DROP")
				.update();
			db.sql("INSERT INTO deferred_probe VALUES (1), (1)").update();
		})).isNotInstanceOf(CommitOutcomeUnknown.class);
	}

	private void awaitReady(Http other) {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (other.get("/readyz", null).status() != 200) {
			assertThat(System.nanoTime()).as("readiness UP again within a minute").isLessThan(deadline);
			sleep(200);
		}
	}

	private Map<String, String> env(TcpProxy proxy, String... extra) throws Exception {
		Map<String, String> env = new HashMap<>();
		env.put("PHORK_DATABASE_URL", dataSource.getJdbcUrl().replaceFirst(":\\d+/", ":" + proxy.port() + "/"));
		env.put("PHORK_DATABASE_USERNAME", dataSource.getUsername());
		if (dataSource.getPassword() != null) {
			env.put("PHORK_DATABASE_PASSWORD", dataSource.getPassword());
		}
		env.put("PHORK_DATA_DIR", Files.createTempDirectory("phork-outage").toString());
		env.put("PHORK_MANAGEMENT_PORT", "0");
		// Every test registers from 127.0.0.1, and the counts are in the shared database.
		env.put("PHORK_REGISTRATIONS_PER_ADDRESS", "1000000");
		for (int i = 0; i < extra.length; i += 2) {
			env.put(extra[i], extra[i + 1]);
		}
		return env;
	}

}
