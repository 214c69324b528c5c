package dev.phork.common.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.util.PasswordUtil;

/**
 * Who may log in to the embedded PostgreSQL, and as what.
 *
 * <p>Only password logins (SCRAM-SHA-256) over loopback TCP are accepted; no one is trusted, and
 * there is no Unix socket. The bootstrap superuser {@code postgres} is used by Phork alone, at
 * start, to prepare the database. The application (Flyway and the pool) logs in as
 * {@value #APPLICATION_ROLE}, a role without superuser, role or database rights that owns the
 * database, its schemas and every object in them: an injected statement can change Phork's data
 * but cannot run programs ({@code COPY ... FROM PROGRAM}), read server files or make roles. Both
 * passwords are generated secrets in the data folder. PostgreSQL is only ever given their SCRAM
 * verifiers, computed here, so no statement, log line or file the server can read holds a password.
 */
final class DatabaseAccess {

	static final String SUPERUSER = "postgres";

	static final String APPLICATION_ROLE = "phork";

	static final String SUPERUSER_SECRET = "database-superuser";

	static final String APPLICATION_SECRET = "database-application";

	static final String HBA = """
			# Written by Phork at start: SCRAM passwords over loopback TCP only. Nothing is trusted.
			host all all 127.0.0.1/32 scram-sha-256
			""";

	/** Each query answers the ALTER statements of one kind of object; ? is the application role. */
	private static final List<String> OWNERSHIP_STEPS = List.of("""
			SELECT format('ALTER SCHEMA %I OWNER TO %I', n.nspname, ?)
			FROM pg_namespace n
			WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
			  AND n.nspowner <> ?::regrole
			  AND NOT EXISTS (SELECT 1 FROM pg_depend d
			                  WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')""", """
			SELECT format('ALTER %s %s OWNER TO %I',
			              CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
			                             WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
			              c.oid::regclass, ?)
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
			  AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
			  AND c.relowner <> ?::regrole
			  AND NOT EXISTS (SELECT 1 FROM pg_depend d
			                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')""", """
			SELECT format('ALTER SEQUENCE %s OWNER TO %I', c.oid::regclass, ?)
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relkind = 'S'
			  AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
			  AND c.relowner <> ?::regrole
			  AND NOT EXISTS (SELECT 1 FROM pg_depend d
			                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')""", """
			SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, ?)
			FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
			  AND p.proowner <> ?::regrole
			  AND NOT EXISTS (SELECT 1 FROM pg_depend d
			                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')""",
			// Enums, ranges, domains and free-standing composite types; a table's row type, an array
			// type and a multirange follow the object they belong to.
			"""
			SELECT format('ALTER %s %s OWNER TO %I', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
			              t.oid::regtype, ?)
			FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
			WHERE (t.typtype IN ('e', 'r', 'd')
			       OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))
			  AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
			  AND t.typowner <> ?::regrole
			  AND NOT EXISTS (SELECT 1 FROM pg_depend d
			                  WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')""");

	private DatabaseAccess() {
	}

	/** What PostgreSQL stores for a password; safe inside a SQL literal (base64, '$' and ':'). */
	static String verifier(String password) {
		return PasswordUtil.encodeScramSha256(password.toCharArray());
	}

	/** Whether the folder's pg_hba.conf is Phork's; one from before (with trust) is not. */
	static boolean hbaCurrent(Path pgData) {
		try {
			return Files.readString(pgData.resolve("pg_hba.conf")).equals(HBA);
		}
		catch (IOException ex) {
			return false;
		}
	}

	static void writeHba(Path pgData, ServerAccount account) throws IOException {
		Path temporary = pgData.resolve("pg_hba.conf.phork");
		Files.writeString(temporary, HBA, StandardCharsets.UTF_8);
		Files.setAttribute(temporary, "unix:mode", 0600);
		account.give(temporary);
		Files.move(temporary, pgData.resolve("pg_hba.conf"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
	}

	/** The statement that gives the superuser its password, for single-user mode. */
	static String superuserPassword(String password) {
		return "ALTER ROLE " + SUPERUSER + " PASSWORD '" + verifier(password) + "';\n";
	}

	/**
	 * Makes the application role exactly what it must be (login, no privileges, the current
	 * password) and the owner of the database. Runs at every start, so it repairs as well as sets up.
	 */
	static void prepareRole(Connection superuser, String database, String password) throws SQLException {
		String attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '"
				+ verifier(password) + "'";
		try (Statement statement = superuser.createStatement()) {
			if (!exists(superuser, "SELECT 1 FROM pg_roles WHERE rolname = ?", APPLICATION_ROLE)) {
				statement.execute("CREATE ROLE " + APPLICATION_ROLE + " " + attributes);
			}
			else {
				statement.execute("ALTER ROLE " + APPLICATION_ROLE + " WITH " + attributes);
			}
			if (!exists(superuser, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
				statement.execute("CREATE DATABASE " + database + " OWNER " + APPLICATION_ROLE);
			}
			else {
				statement.execute("ALTER DATABASE " + database + " OWNER TO " + APPLICATION_ROLE);
			}
		}
	}

	/**
	 * Hands every schema of the database and every object in them to the application role. A
	 * folder made before Phork had that role holds Flyway's tables, sequences and trigger functions
	 * owned by {@code postgres}; {@code REASSIGN OWNED} refuses the bootstrap superuser's objects,
	 * so each one is altered by itself. Tables go before sequences because a table takes the
	 * sequences it owns (serial and identity columns) along, and those cannot be altered alone.
	 * Objects that belong to an extension stay the extension's.
	 */
	static void transferOwnership(Connection superuser) throws SQLException {
		for (String step : OWNERSHIP_STEPS) {
			for (String alter : statements(superuser, step)) {
				try (Statement statement = superuser.createStatement()) {
					statement.execute(alter);
				}
			}
		}
	}

	private static List<String> statements(Connection connection, String query) throws SQLException {
		List<String> statements = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(query)) {
			statement.setString(1, APPLICATION_ROLE);
			statement.setString(2, APPLICATION_ROLE);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					statements.add(rows.getString(1));
				}
			}
		}
		return statements;
	}

	private static boolean exists(Connection connection, String query, String name) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(query)) {
			statement.setString(1, name);
			try (ResultSet rows = statement.executeQuery()) {
				return rows.next();
			}
		}
	}

}
