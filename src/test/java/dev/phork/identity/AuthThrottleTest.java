package dev.phork.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.phork.ApiTest;
import dev.phork.Http;
import dev.phork.PhorkApplication;
import dev.phork.common.DataDirectory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Brute-force and sign-up throttling with real (small) limits, served by a second Phork process
 * started on this test's database (as {@code phork serve}, workers off), since the shared test
 * context lifts the address limits for the hundreds of users the other tests register. Counts and
 * revocations written through one process are honoured by the other: the state is in PostgreSQL.
 * Each test sends from a loopback address of its own (127.0.0.x, a real TCP peer, not a header),
 * so tests do not share an address's counts.
 */
class AuthThrottleTest extends ApiTest {

	private static final String PASSWORD = "correct horse battery";

	private static @Nullable Process other;

	private static int otherPort;

	@Autowired
	HikariDataSource dataSource;

	@Autowired
	DataDirectory dataDirectory;

	@TempDir
	static Path logs;

	/** Starts the second process once for the class; it lives until the class is done. */
	@BeforeEach
	void startOtherProcess() throws Exception {
		if (other != null) {
			return;
		}
		Path log = logs.resolve("throttled.log");
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), PhorkApplication.class.getName(), "serve", "--server.port=0")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> env = builder.environment();
		env.put("PHORK_DATABASE_URL", dataSource.getJdbcUrl());
		env.put("PHORK_DATABASE_USERNAME", dataSource.getUsername());
		if (dataSource.getPassword() != null) {
			env.put("PHORK_DATABASE_PASSWORD", dataSource.getPassword());
		}
		env.put("PHORK_DATA_DIR", dataDirectory.root().toString());
		env.put("PHORK_WORKER_ENABLED", "false");
		env.put("PHORK_LOGIN_ACCOUNT_FAILURES", "3");
		env.put("PHORK_LOGIN_ADDRESS_FAILURES", "6");
		env.put("PHORK_LOGIN_BACKOFF", "1m");
		env.put("PHORK_LOGIN_MAX_BACKOFF", "10m");
		env.put("PHORK_REGISTRATIONS_PER_ADDRESS", "3");
		env.put("PHORK_TOKEN_RECHECK", "1s");
		Process process = builder.start();
		other = process;
		otherPort = awaitPort(process, log);
	}

	@AfterAll
	static void stopOtherProcess() throws InterruptedException {
		if (other != null) {
			other.destroy();
			other.waitFor();
			other = null;
		}
	}

	@Test
	void repeatedWrongPasswordsLockTheAccountWithABackoffThatDoubles() {
		Http client = from(11);
		String email = registered(client);
		for (int i = 0; i < 3; i++) {
			login(client, email, "wrong password " + i).assertProblem(401, "invalid_credentials");
		}
		Http.Response locked = login(client, email, PASSWORD).assertProblem(429, "too_many_attempts");
		assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(50L, 60L);
		assertThat(locked.json().get("retryAfterSeconds").asLong()).isBetween(50L, 60L);
		// From anywhere else too: the lock is the account's.
		login(from(12), email, PASSWORD).assertProblem(429, "too_many_attempts");
		assertThat(db.sql("SELECT count FROM auth_throttle WHERE scope = 'login_account' AND subject = :e")
			.param("e", email).query(Integer.class).single()).isEqualTo(3);

		// The minute passes; the next failure waits twice as long.
		expireLocks(email);
		login(client, email, "wrong password 3").assertProblem(401, "invalid_credentials");
		Http.Response longer = login(client, email, PASSWORD).assertProblem(429, "too_many_attempts");
		assertThat(Long.parseLong(longer.header("Retry-After"))).isBetween(110L, 120L);

		expireLocks(email);
		// From another address: this one used up its own allowance meanwhile.
		login(from(25), email, PASSWORD).assertStatus(200);
		assertThat(db.sql("SELECT count(*) FROM auth_throttle WHERE scope = 'login_account' AND subject = :e")
			.param("e", email).query(Long.class).single()).isZero();
	}

	@Test
	void aSuccessfulSignInStartsTheAccountOver() {
		Http client = from(13);
		String email = registered(client);
		// Without the reset the second round would find the account locked (3 attempts counted).
		for (int round = 0; round < 2; round++) {
			login(client, email, "wrong once").assertProblem(401, "invalid_credentials");
			login(client, email, "wrong twice").assertProblem(401, "invalid_credentials");
			login(client, email, PASSWORD).assertStatus(200);
		}
	}

	@Test
	void parallelGuessesGetNoMoreThanTheAllowance() throws Exception {
		Http client = from(14);
		String email = registered(client);
		List<Integer> statuses = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
			List<Future<Integer>> guesses = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				String guess = "parallel guess " + i;
				guesses.add(pool.submit(() -> login(client, email, guess).status()));
			}
			for (Future<Integer> guess : guesses) {
				statuses.add(guess.get());
			}
		}
		assertThat(statuses.stream().filter(s -> s == 401).count()).isEqualTo(3);
		assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(9);
	}

	@Test
	void oneAddressGuessingAtManyAccountsIsThrottled() {
		String victim = registered(from(15));
		Http guesser = from(16);
		for (int i = 0; i < 6; i++) {
			login(guesser, "nobody-" + UUID.randomUUID() + "@example.com", "guess").assertProblem(401,
					"invalid_credentials");
		}
		login(guesser, "nobody-" + UUID.randomUUID() + "@example.com", "guess").assertProblem(429, "too_many_attempts");
		// Even with the right password of a real account: the address is locked, not the account.
		login(guesser, victim, PASSWORD).assertProblem(429, "too_many_attempts");
		login(from(15), victim, PASSWORD).assertStatus(200);
		// The refused attempts were not counted against the account they named.
		login(from(17), victim, "one wrong").assertProblem(401, "invalid_credentials");
		login(from(17), victim, "two wrong").assertProblem(401, "invalid_credentials");
		login(from(17), victim, PASSWORD).assertStatus(200);
	}

	@Test
	void successfulSignInsDoNotUseUpTheAddressAllowance() {
		Http office = from(18);
		String email = registered(from(19));
		for (int i = 0; i < 10; i++) {
			login(office, email, PASSWORD).assertStatus(200);
		}
	}

	@Test
	void registrationIsLimitedPerAddress() {
		Http client = from(20);
		for (int i = 0; i < 3; i++) {
			registered(client);
		}
		String refused = "refused-" + UUID.randomUUID() + "@example.com";
		Http.Response response = register(client, refused).assertProblem(429, "too_many_registrations");
		assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(3500L, 3600L);
		assertThat(db.sql("SELECT count(*) FROM users WHERE email = :e").param("e", refused).query(Long.class).single())
			.isZero();
		registered(from(21));
	}

	@Test
	void aForwardedForHeaderDoesNotChangeTheCountedAddress() {
		Http client = from(22);
		for (int i = 0; i < 4; i++) {
			Http.Response response = client.send("POST", "/auth/register", null,
					"{\"email\":\"xff-" + UUID.randomUUID() + "@example.com\",\"password\":\"" + PASSWORD + "\"}",
					new String[] { "X-Forwarded-For", "198.51.100." + i, "X-Real-IP", "198.51.100." + i });
			response.assertStatus(i < 3 ? 201 : 429);
		}
	}

	@Test
	void aLockEarnedThroughOneProcessHoldsInTheOther() {
		Http client = from(23);
		String email = registered(client);
		for (int i = 0; i < 3; i++) {
			login(client, email, "wrong password " + i).assertProblem(401, "invalid_credentials");
		}
		// This test's own server allows 5 failures, but the lock is in the database.
		http.post("/auth/login", null, "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}")
			.assertProblem(429, "too_many_attempts");
	}

	@Test
	void aLogoutThroughOneProcessIsHonouredByTheOtherWithinTheRecheckInterval() {
		Http client = from(24);
		String token = register(client, "revoked-" + UUID.randomUUID() + "@example.com").assertStatus(201).json()
			.get("token").asString();
		client.get("/auth/me", token).assertStatus(200);
		// The other process now remembers the token as verified; it is revoked through this one.
		http.post("/auth/logout", token, null).assertStatus(204);
		http.get("/auth/me", token).assertProblem(401, "invalid_token");
		sleep(1500);
		client.get("/auth/me", token).assertProblem(401, "invalid_token");
	}

	private Http from(int lastOctet) {
		try {
			InetAddress address = InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) lastOctet });
			return new Http("http://127.0.0.1:" + otherPort, json, Http.from(address));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String registered(Http client) {
		String email = "t" + UUID.randomUUID().toString().replace("-", "") + "@example.com";
		register(client, email).assertStatus(201);
		return email;
	}

	private static Http.Response register(Http client, String email) {
		return client.post("/auth/register", null, "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
	}

	private static Http.Response login(Http client, String email, String password) {
		return client.post("/auth/login", null, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
	}

	private static int awaitPort(Process process, Path log) throws Exception {
		Pattern started = Pattern.compile("Tomcat started on port (\\d+)");
		long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
		while (System.nanoTime() < deadline) {
			Matcher matcher = started.matcher(Files.readString(log));
			if (matcher.find()) {
				return Integer.parseInt(matcher.group(1));
			}
			if (!process.isAlive()) {
				throw new AssertionError("the second Phork process exited:\n" + Files.readString(log));
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the second Phork process did not start:\n" + Files.readString(log));
	}

	private void expireLocks(String email) {
		db.sql("UPDATE auth_throttle SET locked_until = now() WHERE scope = 'login_account' AND subject = :e")
			.param("e", email)
			.update();
	}

}
