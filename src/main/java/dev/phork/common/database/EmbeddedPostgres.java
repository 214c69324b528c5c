package dev.phork.common.database;

import dev.phork.common.Secrets;
import dev.phork.common.StartupFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run as a child process, with its data in the Phork data folder so a
 * restart keeps everything. It listens on loopback only and takes only password logins
 * ({@link DatabaseAccess}); when Phork runs as root it runs as an unprivileged account
 * ({@link ServerAccount}), from binaries no one else can have changed ({@link PostgresBinaries}).
 * zonky's own launcher can do none of this, which is why only its binaries are used.
 *
 * <p>A data folder made by an earlier Phork (trust logins, everything owned by {@code postgres},
 * files owned by root) is brought to this state at its first start: its files are handed to the
 * server's account, the superuser gets its password in single-user mode before the server ever
 * listens again, pg_hba.conf is replaced, and the database and its objects go to the application role.
 */
public final class EmbeddedPostgres implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

	static final String DATABASE = "phork";

	private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

	private final Path bin;

	private final Path pgData;

	private final int port;

	private final ServerAccount account;

	private final String superuserPassword;

	private final String applicationPassword;

	/** The server process when this JVM started it; null when it shares another Phork's server. */
	private final @Nullable Process process;

	private EmbeddedPostgres(Path bin, Path pgData, int port, ServerAccount account, String superuserPassword,
			String applicationPassword, @Nullable Process process) {
		this.bin = bin;
		this.pgData = pgData;
		this.port = port;
		this.account = account;
		this.superuserPassword = superuserPassword;
		this.applicationPassword = applicationPassword;
		this.process = process;
	}

	public static EmbeddedPostgres start(Path dataDir, Secrets secrets, int requestedPort, int unprivilegedId) {
		ServerAccount account = ServerAccount.of(unprivilegedId);
		Path home = account.serverHome(dataDir);
		Path bin = PostgresBinaries.unpack(home.resolve("postgres-binaries"));
		Path pgData = home.resolve("postgres");
		boolean newSuperuserPassword = !secrets.has(DatabaseAccess.SUPERUSER_SECRET);
		String superuserPassword = secrets.password(DatabaseAccess.SUPERUSER_SECRET);
		String applicationPassword = secrets.password(DatabaseAccess.APPLICATION_SECRET);
		Path ownerFile = dataDir.resolve("postgres.owner");
		Optional<Integer> running = runningPort(pgData);
		if (running.isPresent() && ownerAlive(ownerFile)) {
			// Another Phork process (a server, or workers) on this data folder runs it: share it.
			log.info("Sharing the embedded PostgreSQL of another Phork process on port {}", running.get());
			return new EmbeddedPostgres(bin, pgData, running.get(), account, superuserPassword, applicationPassword, null);
		}
		account.own(pgData);
		stopLeftover(account, bin, pgData);
		try {
			if (!Files.exists(pgData.resolve("PG_VERSION"))) {
				initdb(account, bin, home, pgData, superuserPassword);
				DatabaseAccess.writeHba(pgData, account);
			}
			else if (!DatabaseAccess.hbaCurrent(pgData) || newSuperuserPassword) {
				// A folder from before passwords (trust), or whose secrets were deleted: set the
				// superuser's password while the server is down, then stop trusting anyone.
				log.info("Setting the embedded PostgreSQL's passwords and closing trusted logins in {}", pgData);
				single(account, bin, pgData, DatabaseAccess.superuserPassword(superuserPassword));
				DatabaseAccess.writeHba(pgData, account);
			}
		}
		catch (IOException ex) {
			throw new StartupFailure("cannot prepare the embedded PostgreSQL in " + pgData + ": " + ex.getMessage(), ex);
		}
		int port = requestedPort > 0 ? requestedPort : freePort();
		List<String> command = account.command(bin.resolve("bin/postgres"), List.of("-D", pgData.toString(), "-p",
				String.valueOf(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c",
				"password_encryption=scram-sha-256", "-c", "max_connections=300", "-c", "shared_buffers=128MB", "-c",
				"logging_collector=off"));
		try {
			Process process = new ProcessBuilder(command).directory(bin.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("postgres.log").toFile()))
				.start();
			EmbeddedPostgres postgres = new EmbeddedPostgres(bin, pgData, port, account, superuserPassword,
					applicationPassword, process);
			postgres.awaitReady(dataDir.resolve("postgres.log"));
			postgres.prepareDatabase();
			Files.writeString(ownerFile, String.valueOf(ProcessHandle.current().pid()));
			return postgres;
		}
		catch (IOException ex) {
			throw new StartupFailure("cannot start the embedded PostgreSQL: " + ex.getMessage(), ex);
		}
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
	}

	/** The role the application logs in as: not a superuser, the owner of its database. */
	public String username() {
		return DatabaseAccess.APPLICATION_ROLE;
	}

	public String password() {
		return applicationPassword;
	}

	public int port() {
		return port;
	}

	/** The cluster's folder: {@code postgres/} in the data folder, unless the server cannot enter it. */
	public Path clusterFolder() {
		return pgData;
	}

	/** Whether this process started the server (and so stops it at exit). */
	public boolean owned() {
		return process != null;
	}

	@Override
	public void close() {
		if (process == null || !process.isAlive()) {
			return;
		}
		try {
			run(account, bin, "pg_ctl", "stop", "-D", pgData.toString(), "-m", "fast", "-w", "-t", "20");
		}
		catch (StartupFailure ex) {
			log.warn("pg_ctl stop failed, killing the embedded PostgreSQL: {}", ex.getMessage());
			process.destroyForcibly();
		}
	}

	private void awaitReady(Path logFile) {
		Process server = Objects.requireNonNull(process);
		long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
		SQLException last = null;
		while (System.nanoTime() < deadline) {
			if (!server.isAlive()) {
				throw new StartupFailure("the embedded PostgreSQL exited at start: " + lastLine(logFile));
			}
			try (Connection ignored = superuser("postgres")) {
				return;
			}
			catch (SQLException ex) {
				if ("28P01".equals(ex.getSQLState())) {
					server.destroy();
					throw new StartupFailure("the embedded PostgreSQL refused the superuser's password in "
							+ "secrets/" + DatabaseAccess.SUPERUSER_SECRET + ".key; delete that file and Phork sets a new one "
							+ "at the next start.");
				}
				last = ex;
			}
			sleep(50);
		}
		server.destroyForcibly();
		throw new StartupFailure("the embedded PostgreSQL did not accept connections within " + STARTUP_WAIT.toSeconds()
				+ " s: " + (last == null ? "" : last.getMessage()));
	}

	/** The application role and its database, and (for an old folder) the ownership of what is in it. */
	private void prepareDatabase() {
		try (Connection c = superuser("postgres")) {
			DatabaseAccess.prepareRole(c, DATABASE, applicationPassword);
		}
		catch (SQLException ex) {
			throw new StartupFailure("cannot prepare the embedded database's role: " + ex.getMessage(), ex);
		}
		try (Connection c = superuser(DATABASE)) {
			DatabaseAccess.transferOwnership(c);
		}
		catch (SQLException ex) {
			throw new StartupFailure("cannot give the embedded database's objects to the role "
					+ DatabaseAccess.APPLICATION_ROLE + ": " + ex.getMessage(), ex);
		}
	}

	private Connection superuser(String database) throws SQLException {
		Properties props = new Properties();
		props.setProperty("user", DatabaseAccess.SUPERUSER);
		props.setProperty("password", superuserPassword);
		props.setProperty("connectTimeout", "2");
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
	}

	/**
	 * Creates the cluster with the superuser's password set from the start. initdb reads it from a
	 * file the server's account can read; the file holds only the SCRAM verifier, which cannot be
	 * used to log in, and is removed at once.
	 */
	private static void initdb(ServerAccount account, Path bin, Path home, Path pgData, String superuserPassword)
			throws IOException {
		Path pwfile = Files.createTempFile(home, ".initdb-", ".pw",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		try {
			Files.writeString(pwfile, DatabaseAccess.verifier(superuserPassword) + "\n");
			account.give(pwfile);
			run(account, bin, "initdb", "--auth=scram-sha-256", "--pwfile=" + pwfile, "-U", DatabaseAccess.SUPERUSER, "-D",
					pgData.toString(), "-E", "UTF-8", "--no-locale");
		}
		finally {
			Files.deleteIfExists(pwfile);
		}
	}

	/** Runs statements in single-user mode: no listening socket, so no one can log in meanwhile. */
	private static void single(ServerAccount account, Path bin, Path pgData, String statements) {
		String output = execute(account, bin, statements, "postgres", "--single", "-D", pgData.toString(), "-c",
				"listen_addresses=", "-c", "unix_socket_directories=", "-c", "password_encryption=scram-sha-256",
				"postgres");
		if (output.contains("ERROR:")) {
			throw new StartupFailure("the embedded PostgreSQL refused to set its superuser's password: "
					+ output.lines().filter(l -> l.contains("ERROR:")).findFirst().orElse(output).strip());
		}
	}

	/** The port of a live server on this data folder, read from its postmaster.pid. */
	private static Optional<Integer> runningPort(Path pgData) {
		try {
			List<String> lines = Files.readAllLines(pgData.resolve("postmaster.pid"));
			long pid = Long.parseLong(lines.getFirst().trim());
			if (lines.size() >= 4 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
				return Optional.of(Integer.parseInt(lines.get(3).trim()));
			}
		}
		catch (IOException | RuntimeException ex) {
			// No pid file, or not a running server: nothing to share.
		}
		return Optional.empty();
	}

	/** Whether the Phork process that started the server on this folder is still alive. */
	private static boolean ownerAlive(Path ownerFile) {
		try {
			long pid = Long.parseLong(Files.readString(ownerFile).trim());
			return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * A server left running by a process that was killed holds the data folder; stop it before
	 * starting ours, so a crash never needs manual clean-up.
	 */
	private static void stopLeftover(ServerAccount account, Path bin, Path pgData) {
		Path pidFile = pgData.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		try {
			long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
			boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
			if (alive) {
				log.warn("An embedded PostgreSQL (pid {}) from an earlier run still holds {}; stopping it.", pid, pgData);
				run(account, bin, "pg_ctl", "stop", "-D", pgData.toString(), "-m", "fast", "-w", "-t", "20");
			}
		}
		catch (IOException | RuntimeException ex) {
			throw new StartupFailure("the data folder " + pgData + " is in use by another PostgreSQL (" + ex.getMessage()
					+ "); stop the other Phork server or choose another PHORK_DATA_DIR.");
		}
	}

	private static void run(ServerAccount account, Path bin, String program, String... args) {
		execute(account, bin, null, program, args);
	}

	/** Runs one of the server's programs as its account, feeding it {@code input}; answers its output. */
	private static String execute(ServerAccount account, Path bin, @Nullable String input, String program,
			String... args) {
		List<String> command = account.command(bin.resolve("bin").resolve(program), List.of(args));
		try {
			// Started in the binaries' folder: the server's account may not be able to enter Phork's own.
			Process p = new ProcessBuilder(command).directory(bin.toFile()).redirectErrorStream(true).start();
			try (var stdin = p.getOutputStream()) {
				if (input != null) {
					stdin.write(input.getBytes(StandardCharsets.UTF_8));
				}
			}
			String output = new String(p.getInputStream().readAllBytes());
			if (p.waitFor() != 0) {
				throw new StartupFailure(program + " failed: " + lastLine(output)
						+ (account.separate() ? " (it runs as uid " + account.uid() + ", PHORK_EMBEDDED_DB_UID)" : ""));
			}
			return output;
		}
		catch (IOException ex) {
			throw new StartupFailure("cannot run " + program + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StartupFailure("interrupted while running " + program);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new StartupFailure("no free local port for the embedded PostgreSQL: " + ex.getMessage());
		}
	}

	private static String lastLine(Path logFile) {
		try {
			return lastLine(Files.readString(logFile));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static String lastLine(String output) {
		String[] lines = output.strip().split("\n");
		return lines.length == 0 ? "" : lines[lines.length - 1].strip();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StartupFailure("interrupted while waiting for the embedded PostgreSQL");
		}
	}

}
