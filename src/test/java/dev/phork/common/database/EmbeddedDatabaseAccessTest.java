package dev.phork.common.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.security.auth.module.UnixSystem;
import com.zaxxer.hikari.HikariDataSource;
import dev.phork.ApiTest;
import dev.phork.common.DataDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded PostgreSQL the tests share, attacked the way a local user or an injected statement
 * would: it takes no login without the right password, the application's role cannot reach the
 * operating system, and the server process is not root, not even through a user namespace.
 */
class EmbeddedDatabaseAccessTest extends ApiTest {

	private static final boolean ROOT = new UnixSystem().getUid() == 0;

	@Autowired
	HikariDataSource dataSource;

	@Autowired
	DataDirectory dataDirectory;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	DatabaseConfiguration.DatabaseServer databaseServer;

	/** {@code postgres/} of the data folder, or its stand-in when the server cannot enter the data folder. */
	private Path cluster() {
		return java.util.Objects.requireNonNull(databaseServer.embedded()).clusterFolder();
	}

	@Test
	void noLoginWithoutTheRightPassword() throws IOException {
		for (String user : List.of(DatabaseAccess.SUPERUSER, DatabaseAccess.APPLICATION_ROLE)) {
			assertThat(loginError(user, null)).as(user + " without a password").isNotNull();
			assertThat(loginError(user, "")).as(user + " with an empty password").isNotNull();
			assertThat(loginError(user, "postgres")).as(user + " with a wrong password").isEqualTo("28P01");
		}
		assertThat(loginError(dataSource.getUsername(), dataSource.getPassword())).isNull();
		// One rule: passwords, loopback TCP. No trust, no Unix socket, no other address.
		assertThat(Files.readAllLines(cluster().resolve("pg_hba.conf")).stream()
			.filter(l -> !l.isBlank() && !l.startsWith("#"))).containsExactly("host all all 127.0.0.1/32 scram-sha-256");
	}

	@Test
	void theApplicationConnectsAsARoleWithoutPrivilegesThatOwnsItsSchema() {
		Map<String, Object> role = db.sql("""
				SELECT current_user AS name, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls
				FROM pg_roles WHERE rolname = current_user""").query().singleRow();
		assertThat(role).containsEntry("name", "phork").containsEntry("rolsuper", false)
			.containsEntry("rolcreaterole", false).containsEntry("rolcreatedb", false)
			.containsEntry("rolreplication", false).containsEntry("rolbypassrls", false);
		assertThat(db.sql("SELECT count(*) FROM pg_auth_members WHERE member = 'phork'::regrole").query(Long.class).single())
			.isZero();
		assertThat(db.sql("SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()")
			.query(String.class).single()).isEqualTo("phork");
		assertThat(db.sql("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public'").query(String.class)
			.single()).isEqualTo("phork");
		assertThat(db.sql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'").query(String.class).list())
			.containsExactly("phork");
		assertThat(db.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").query(Long.class).single())
			.isGreaterThan(10);
	}

	@Test
	void theApplicationCannotRunProgramsReadServerFilesOrMakeRoles() {
		TransactionTemplate tx = new TransactionTemplate(transactionManager);
		for (String attack : List.of("COPY probe FROM PROGRAM 'cat /etc/shadow'", "COPY probe FROM '/etc/passwd'",
				"COPY (SELECT 1) TO PROGRAM 'touch /tmp/phork-pwned'", "SELECT pg_read_file('/etc/passwd')",
				"SELECT pg_read_binary_file('" + dataDirectory.resolve("secrets/" + DatabaseAccess.SUPERUSER_SECRET + ".key") + "')",
				"SELECT pg_ls_dir('/')", "CREATE ROLE intruder SUPERUSER", "ALTER ROLE phork SUPERUSER",
				"GRANT pg_read_server_files TO phork", "GRANT pg_execute_server_program TO phork",
				"SET session_replication_role = replica")) {
			assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
				db.sql("CREATE TEMP TABLE probe (line text) ON COMMIT DROP").update();
				db.sql(attack).query().listOfRows();
			})).as(attack).rootCause().isInstanceOfSatisfying(SQLException.class,
					refused -> assertThat(refused.getSQLState()).as(attack + ": " + refused.getMessage()).isEqualTo("42501"));
		}
		assertThat(Path.of("/tmp/phork-pwned")).doesNotExist();
	}

	@Test
	void theServerRunsAsAnUnprivilegedUserNotAsRootInANamespace() throws Exception {
		long pid = Long.parseLong(Files.readAllLines(cluster().resolve("postmaster.pid")).getFirst()
			.trim());
		UnixSystem me = new UnixSystem();
		long expected = ROOT ? 65534 : me.getUid();
		List<String> status = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
		// Real, effective, saved and file-system ids, as seen from this (the host's) namespace.
		assertThat(field(status, "Uid:")).containsOnly(String.valueOf(expected));
		assertThat(field(status, "Gid:")).containsOnly(String.valueOf(ROOT ? 65534 : me.getGid()));
		if (ROOT) {
			assertThat(field(status, "Groups:")).isEmpty();
			assertThat(field(status, "CapEff:")).containsOnly("0000000000000000");
			assertThat(field(status, "NoNewPrivs:")).containsOnly("1");
		}
		// Same user namespace as this process: no mapping that makes it root outside.
		assertThat(Files.readString(Path.of("/proc/" + pid + "/uid_map")))
			.isEqualTo(Files.readString(Path.of("/proc/self/uid_map")));
	}

	@Test
	void theServersAccountCanNeitherReadTheSecretsNorChangeTheBinaries() throws Exception {
		Assumptions.assumeTrue(ROOT, "the server runs as another account only when Phork runs as root");
		Path secrets = dataDirectory.resolve("secrets");
		Path superuserKey = secrets.resolve(DatabaseAccess.SUPERUSER_SECRET + ".key");
		assertThat(Files.getAttribute(secrets, "unix:mode")).isEqualTo(040700);
		assertThat(Files.getAttribute(superuserKey, "unix:mode")).isEqualTo(0100600);
		assertThat(Files.getAttribute(superuserKey, "unix:uid")).isEqualTo(0);
		Path postgres = cluster().resolveSibling("postgres-binaries").resolve(PostgresBinaries.archiveStamp()).resolve("bin/postgres");
		assertThat(asServerAccount("cat", superuserKey.toString())).isNotZero();
		assertThat(asServerAccount("ls", secrets.toString())).isNotZero();
		assertThat(asServerAccount("sh", "-c", "echo planted >> " + postgres)).isNotZero();
		assertThat(asServerAccount("touch", postgres.getParent().resolve("planted").toString())).isNotZero();
		assertThat(asServerAccount("test", "-r", postgres.toString())).as("the server can still read its binaries").isZero();
	}

	private int asServerAccount(String... command) throws Exception {
		List<String> line = ServerAccount.of(65534).command(Path.of("/usr/bin/env"), List.of(command));
		return new ProcessBuilder(line).directory(Path.of("/").toFile()).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
	}

	private static List<String> field(List<String> status, String name) {
		return status.stream().filter(l -> l.startsWith(name)).findFirst().map(l -> l.substring(name.length()).strip())
			.map(v -> v.isEmpty() ? List.<String>of() : List.of(v.split("\\s+"))).orElseThrow();
	}

	/** The SQL state of a refused login, or null when it was let in. */
	private String loginError(String user, String password) {
		Properties props = new Properties();
		props.setProperty("user", user);
		if (password != null) {
			props.setProperty("password", password);
		}
		try (var ignored = DriverManager.getConnection(dataSource.getJdbcUrl(), props)) {
			return null;
		}
		catch (SQLException ex) {
			return String.valueOf(ex.getSQLState());
		}
	}

}
