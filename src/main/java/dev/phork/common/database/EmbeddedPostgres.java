package dev.phork.common.database;

import dev.phork.common.StartupFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run as a child process, with its data in the Phork data folder so a
 * restart keeps everything. It listens on loopback only and trusts local connections.
 *
 * <p>PostgreSQL refuses to run as root. When Phork itself runs as root (CI machines, containers),
 * the server is started through {@code unshare --user} mapped to an unprivileged id: inside the
 * namespace it is not root, on disk its files still belong to the calling user, so the data folder
 * can live anywhere the caller can write. zonky's own launcher cannot do this, which is why only its
 * binaries are used.
 */
public final class EmbeddedPostgres implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

	private static final String SUPERUSER = "postgres";

	static final String DATABASE = "phork";

	private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

	private final Path bin;

	private final Path pgData;

	private final int port;

	private final List<String> wrapper;

	/** The server process when this JVM started it; null when it shares another Phork's server. */
	private final @Nullable Process process;

	private EmbeddedPostgres(Path bin, Path pgData, int port, List<String> wrapper, @Nullable Process process) {
		this.bin = bin;
		this.pgData = pgData;
		this.port = port;
		this.wrapper = wrapper;
		this.process = process;
	}

	public static EmbeddedPostgres start(Path dataDir, int requestedPort, int unprivilegedId) {
		Path bin = PostgresBinaries.unpack(Path.of(System.getProperty("java.io.tmpdir"), "phork-postgres"));
		Path pgData = dataDir.resolve("postgres");
		List<String> wrapper = wrapper(unprivilegedId);
		if (!Files.exists(pgData.resolve("PG_VERSION"))) {
			run(wrapper, bin, "initdb", "-A", "trust", "-U", SUPERUSER, "-D", pgData.toString(), "-E", "UTF-8",
					"--no-locale");
		}
		Path ownerFile = dataDir.resolve("postgres.owner");
		Optional<Integer> running = runningPort(pgData);
		if (running.isPresent() && ownerAlive(ownerFile)) {
			// Another Phork process (a server, or workers) on this data folder runs it: share it.
			log.info("Sharing the embedded PostgreSQL of another Phork process on port {}", running.get());
			return new EmbeddedPostgres(bin, pgData, running.get(), wrapper, null);
		}
		stopLeftover(wrapper, bin, pgData);
		int port = requestedPort > 0 ? requestedPort : freePort();
		List<String> command = new ArrayList<>(wrapper);
		command.addAll(List.of(bin.resolve("bin/postgres").toString(), "-D", pgData.toString(), "-p",
				String.valueOf(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c",
				"max_connections=300", "-c", "shared_buffers=128MB", "-c", "logging_collector=off"));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("postgres.log").toFile()))
				.start();
			EmbeddedPostgres postgres = new EmbeddedPostgres(bin, pgData, port, wrapper, process);
			postgres.awaitReady(dataDir.resolve("postgres.log"));
			postgres.createDatabase();
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

	public String username() {
		return SUPERUSER;
	}

	public int port() {
		return port;
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
			run(wrapper, bin, "pg_ctl", "stop", "-D", pgData.toString(), "-m", "fast", "-w", "-t", "20");
		}
		catch (StartupFailure ex) {
			log.warn("pg_ctl stop failed, killing the embedded PostgreSQL: {}", ex.getMessage());
			process.destroyForcibly();
		}
	}

	private void awaitReady(Path logFile) {
		Process server = java.util.Objects.requireNonNull(process);
		long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
		SQLException last = null;
		while (System.nanoTime() < deadline) {
			if (!server.isAlive()) {
				throw new StartupFailure("the embedded PostgreSQL exited at start: " + lastLine(logFile));
			}
			try (Connection ignored = connect("postgres")) {
				return;
			}
			catch (SQLException ex) {
				last = ex;
			}
			sleep(50);
		}
		server.destroyForcibly();
		throw new StartupFailure("the embedded PostgreSQL did not accept connections within " + STARTUP_WAIT.toSeconds()
				+ " s: " + (last == null ? "" : last.getMessage()));
	}

	private void createDatabase() {
		try (Connection c = connect("postgres"); var check = c.createStatement();
				var rs = check.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
			if (!rs.next()) {
				try (var create = c.createStatement()) {
					create.execute("CREATE DATABASE " + DATABASE);
				}
			}
		}
		catch (SQLException ex) {
			throw new StartupFailure("cannot create the embedded database: " + ex.getMessage(), ex);
		}
	}

	private Connection connect(String database) throws SQLException {
		Properties props = new Properties();
		props.setProperty("user", SUPERUSER);
		props.setProperty("connectTimeout", "2");
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
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
	private static void stopLeftover(List<String> wrapper, Path bin, Path pgData) {
		Path pidFile = pgData.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		try {
			long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
			boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
			if (alive) {
				log.warn("An embedded PostgreSQL (pid {}) from an earlier run still holds {}; stopping it.", pid, pgData);
				run(wrapper, bin, "pg_ctl", "stop", "-D", pgData.toString(), "-m", "fast", "-w", "-t", "20");
			}
		}
		catch (IOException | RuntimeException ex) {
			throw new StartupFailure("the data folder " + pgData + " is in use by another PostgreSQL (" + ex.getMessage()
					+ "); stop the other Phork server or choose another PHORK_DATA_DIR.");
		}
	}

	private static List<String> wrapper(int unprivilegedId) {
		if (!isRoot()) {
			return List.of();
		}
		Path unshare = Path.of("/usr/bin/unshare");
		if (!Files.isExecutable(unshare)) {
			throw new StartupFailure("PostgreSQL cannot run as root and /usr/bin/unshare (util-linux) is missing; "
					+ "run Phork as a normal user or configure PHORK_DATABASE_URL.");
		}
		return List.of(unshare.toString(), "--user", "--map-user=" + unprivilegedId, "--map-group=" + unprivilegedId,
				"--");
	}

	private static boolean isRoot() {
		try {
			Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
			return Integer.valueOf(0).equals(uid);
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return "root".equals(System.getProperty("user.name"));
		}
	}

	private static void run(List<String> wrapper, Path bin, String program, String... args) {
		List<String> command = new ArrayList<>(wrapper);
		command.add(bin.resolve("bin").resolve(program).toString());
		command.addAll(List.of(args));
		try {
			Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(p.getInputStream().readAllBytes());
			if (p.waitFor() != 0) {
				throw new StartupFailure(program + " failed: " + lastLine(output));
			}
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
