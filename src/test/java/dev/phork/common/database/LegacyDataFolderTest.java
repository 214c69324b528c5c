package dev.phork.common.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.security.auth.module.UnixSystem;
import dev.phork.common.DataDirectory;
import dev.phork.common.PhorkSettings;
import dev.phork.common.Secrets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data folder made by the launcher as it was before passwords: initdb with trust, every object
 * owned by {@code postgres}, and (run as root) a server in a user namespace whose files belong to
 * root. The current launcher must close it at its first start and keep every row.
 */
class LegacyDataFolderTest {

	private static final boolean ROOT = new UnixSystem().getUid() == 0;

	@TempDir
	Path dataDir;

	@Test
	void aTrustFolderOwnedByPostgresIsUpgradedAtItsFirstStart() throws Exception {
		Path pgData = dataDir.resolve("postgres");
		int oldPort = makeLegacyFolder(pgData);

		Secrets secrets = new Secrets(new DataDirectory(new PhorkSettings(dataDir)));
		try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, secrets, 0, 65534)) {
			String url = postgres.jdbcUrl();
			assertThat(loginError(url, "postgres", null)).isNotNull();
			assertThat(loginError(url, "postgres", "")).isNotNull();
			assertThat(loginError(url, "phork", null)).isNotNull();
			assertThat(Files.readAllLines(pgData.resolve("pg_hba.conf")).stream().filter(l -> !l.isBlank() && !l.startsWith("#")))
				.containsExactly("host all all 127.0.0.1/32 scram-sha-256");
			assertThat(Files.getAttribute(pgData, "unix:uid")).isEqualTo(ROOT ? 65534 : (int) new UnixSystem().getUid());
			assertThat(postgres.port()).isNotEqualTo(oldPort);

			try (Connection app = login(url, postgres.username(), postgres.password()); Statement sql = app.createStatement()) {
				assertThat(single(sql, "SELECT note FROM legacy_notes WHERE id = 1")).isEqualTo("kept");
				assertThat(single(sql, "SELECT count(*) FROM users")).isEqualTo("1");
				assertThat(single(sql, """
						SELECT count(*) FROM (
						    SELECT relowner AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
						    WHERE n.nspname = 'public'
						    UNION ALL SELECT proowner FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
						    WHERE n.nspname = 'public'
						    UNION ALL SELECT typowner FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
						    WHERE n.nspname = 'public'
						    UNION ALL SELECT nspowner FROM pg_namespace WHERE nspname = 'public'
						    UNION ALL SELECT datdba FROM pg_database WHERE datname = current_database()) o
						WHERE owner <> 'phork'::regrole""")).isEqualTo("0");
				// The application can use what it now owns: identity columns, sequences, types, triggers.
				sql.execute("INSERT INTO legacy_notes (note, mood, amount) VALUES ('new', 'sad', 2)");
				assertThat(single(sql, "SELECT count(*) FROM legacy_view")).isEqualTo("2");
				assertThat(single(sql, "SELECT nextval('legacy_counter')")).isEqualTo("1");
				assertThat(single(sql, "SELECT legacy_double(21)")).isEqualTo("42");
				assertThat(single(sql, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).isEqualTo("f");
			}
			// Flyway, connecting as the application, finds its history and nothing to do.
			assertThat(Flyway.configure().dataSource(url, postgres.username(), postgres.password())
				.locations("classpath:db/migration").load().migrate().migrationsExecuted).isZero();
		}
		// The next start finds it all in place.
		try (EmbeddedPostgres again = EmbeddedPostgres.start(dataDir, secrets, 0, 65534);
				Connection app = login(again.jdbcUrl(), again.username(), again.password());
				Statement sql = app.createStatement()) {
			assertThat(single(sql, "SELECT count(*) FROM legacy_notes")).isEqualTo("2");
			assertThat(loginError(again.jdbcUrl(), "postgres", null)).isNotNull();
		}
	}

	/**
	 * What the launcher did before: {@code initdb -A trust}, run as root through
	 * {@code unshare --user}, the schema migrated as {@code postgres}, and some objects of each kind.
	 */
	private int makeLegacyFolder(Path pgData) throws Exception {
		Path bin = PostgresBinaries.unpack(dataDir.resolve("postgres-binaries")).resolve("bin");
		List<String> wrapper = ROOT
				? List.of("/usr/bin/unshare", "--user", "--map-user=65534", "--map-group=65534", "--") : List.of();
		run(wrapper, bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres", "-D", pgData.toString(), "-E",
				"UTF-8", "--no-locale");
		int port = freePort();
		List<String> server = new ArrayList<>(wrapper);
		server.addAll(List.of(bin.resolve("postgres").toString(), "-D", pgData.toString(), "-p", String.valueOf(port), "-c",
				"listen_addresses=127.0.0.1", "-c", "unix_socket_directories="));
		Process process = new ProcessBuilder(server).redirectErrorStream(true)
			.redirectOutput(dataDir.resolve("legacy.log").toFile()).start();
		try {
			String admin = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
			awaitLogin(admin);
			try (Connection c = login(admin, "postgres", null); Statement sql = c.createStatement()) {
				sql.execute("CREATE DATABASE phork");
			}
			String url = "jdbc:postgresql://127.0.0.1:" + port + "/phork";
			Flyway.configure().dataSource(url, "postgres", null).locations("classpath:db/migration").load().migrate();
			try (Connection c = login(url, "postgres", null); Statement sql = c.createStatement()) {
				sql.execute("CREATE TYPE legacy_mood AS ENUM ('happy', 'sad')");
				sql.execute("CREATE DOMAIN legacy_amount AS integer CHECK (VALUE > 0)");
				sql.execute("""
						CREATE TABLE legacy_notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text NOT NULL,
						                           mood legacy_mood NOT NULL, amount legacy_amount NOT NULL)""");
				sql.execute("CREATE SEQUENCE legacy_counter");
				sql.execute("CREATE VIEW legacy_view AS SELECT id, note FROM legacy_notes");
				sql.execute("CREATE FUNCTION legacy_double(integer) RETURNS integer LANGUAGE sql AS 'SELECT $1 * 2'");
				sql.execute("INSERT INTO legacy_notes (note, mood, amount) VALUES ('kept', 'happy', 1)");
				sql.execute("""
						INSERT INTO users (id, email, password_hash, name)
						VALUES (gen_random_uuid(), 'legacy@example.com', 'x', 'Legacy')""");
			}
		}
		finally {
			run(wrapper, bin.resolve("pg_ctl").toString(), "stop", "-D", pgData.toString(), "-m", "fast", "-w");
			process.waitFor();
		}
		assertThat(Files.getAttribute(pgData, "unix:uid")).as("files of a namespaced server belong to the caller")
			.isEqualTo((int) new UnixSystem().getUid());
		return port;
	}

	private static void awaitLogin(String url) throws InterruptedException {
		long deadline = System.nanoTime() + 60_000_000_000L;
		while (loginError(url, "postgres", null) != null) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("the legacy server did not start");
			}
			Thread.sleep(100);
		}
	}

	private static Connection login(String url, String user, String password) throws SQLException {
		Properties props = new Properties();
		props.setProperty("user", user);
		if (password != null) {
			props.setProperty("password", password);
		}
		return DriverManager.getConnection(url, props);
	}

	private static String loginError(String url, String user, String password) {
		try (Connection ignored = login(url, user, password)) {
			return null;
		}
		catch (SQLException ex) {
			return String.valueOf(ex.getSQLState());
		}
	}

	private static String single(Statement sql, String query) throws SQLException {
		try (var rows = sql.executeQuery(query)) {
			assertThat(rows.next()).isTrue();
			return rows.getString(1);
		}
	}

	private static void run(List<String> wrapper, String... command) throws IOException, InterruptedException {
		List<String> line = new ArrayList<>(wrapper);
		line.addAll(List.of(command));
		Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(output).isZero();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
