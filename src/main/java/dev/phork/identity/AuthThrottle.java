package dev.phork.identity;

import dev.phork.common.ProblemException;
import dev.phork.identity.IdentitySettings.Throttle;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brute-force and sign-up throttling, kept in PostgreSQL so that every Phork process on the
 * database counts the same attempts (a counter in memory would give each process its own allowance).
 * <p>
 * Sign-in attempts are counted per account (the normalised email, whether or not an account has
 * it, so the answer says nothing about existence) and per client address. An attempt is counted
 * <em>before</em> its password is checked, under a row lock, and given back when the password
 * proves right: so parallel guesses cannot all slip past the allowance while the first ones are
 * still being hashed. Once the allowance is used up, each further counted attempt locks the
 * account or address for a wait that doubles, up to a maximum; while locked, attempts are
 * answered 429 without looking at the password, so a guess made then tells nothing and costs no
 * hashing. Counts are forgotten after a quiet window; a right password clears the account's count
 * (and gives back only its own attempt of the address's: one's own account must not wipe the count
 * of guesses made at others). Registrations are counted per client address in fixed windows.
 * <p>
 * The client address is the TCP peer ({@code getRemoteAddr}), never a header a client can write;
 * behind a reverse proxy Tomcat's RemoteIpValve (server.forward-headers-strategy=native) makes it
 * the forwarded address for trusted proxies only. IPv6 addresses count by their /64, the block one
 * subscriber gets.
 */
@Component
class AuthThrottle {

	private static final String ACCOUNT = "login_account";

	private static final String ADDRESS = "login_address";

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final Throttle settings;

	AuthThrottle(JdbcClient jdbc, TransactionTemplate transaction, IdentitySettings settings) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.settings = settings.throttle();
	}

	/**
	 * Counts a sign-in attempt against the address, then the account, and refuses it (429) while
	 * either is locked. The address goes first: a locked address must not add to the counts of the
	 * accounts it keeps trying.
	 */
	void beginSignIn(String email, String address) {
		count(ADDRESS, subject(address), settings.addressFailures());
		count(ACCOUNT, email, settings.accountFailures());
	}

	/** The password was right: the account starts over, and the address gets this attempt back. */
	void signInSucceeded(String email, String address) {
		jdbc.sql("DELETE FROM auth_throttle WHERE scope = 'login_account' AND subject = :email")
			.param("email", email)
			.update();
		jdbc.sql("""
				UPDATE auth_throttle
				SET count = count - 1,
				    locked_until = CASE WHEN count - 1 < :allowed THEN NULL ELSE locked_until END
				WHERE scope = 'login_address' AND subject = :subject AND count > 0""")
			.param("subject", subject(address))
			.param("allowed", settings.addressFailures())
			.update();
	}

	/** Counts a registration attempt of the address, and refuses it beyond the allowance. */
	void countRegistration(String address) {
		record Counted(int count, long retryAfter) {
		}
		// One upsert: concurrent attempts of one address each see their own count, none is lost.
		Counted counted = jdbc.sql("""
				INSERT INTO auth_throttle AS t (scope, subject, count, window_start, last_at)
				VALUES ('register_address', :subject, 1, now(), now())
				ON CONFLICT (scope, subject) DO UPDATE SET
				    count = CASE WHEN t.window_start <= now() - make_interval(secs => :window) THEN 1 ELSE t.count + 1 END,
				    window_start = CASE WHEN t.window_start <= now() - make_interval(secs => :window)
				                        THEN now() ELSE t.window_start END,
				    last_at = now()
				RETURNING count,
				          ceil(extract(epoch FROM window_start + make_interval(secs => :window) - now()))::bigint AS retry_after""")
			.param("subject", subject(address))
			.param("window", seconds(settings.registrationWindow()))
			.query((rs, n) -> new Counted(rs.getInt("count"), rs.getLong("retry_after")))
			.single();
		if (counted.count() > settings.registrationsPerAddress()) {
			throw tooMany("too_many_registrations", "Too many registrations from this address; try again later.",
					counted.retryAfter());
		}
	}

	/** Rows whose window and lock are both over hold nothing a later attempt would read. */
	@Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
	void deleteStale() {
		jdbc.sql("""
				DELETE FROM auth_throttle
				WHERE last_at < now() - make_interval(secs => :window)
				  AND (locked_until IS NULL OR locked_until < now())""")
			.param("window", seconds(settings.failureWindow().compareTo(settings.registrationWindow()) > 0
					? settings.failureWindow() : settings.registrationWindow()))
			.update();
	}

	private void count(String scope, String subject, int allowed) {
		record Row(int count, boolean quiet, long lockedFor) {
		}
		Long lockedFor = transaction.execute(status -> {
			jdbc.sql("""
					INSERT INTO auth_throttle (scope, subject, count, window_start, last_at)
					VALUES (:scope, :subject, 0, now(), now())
					ON CONFLICT (scope, subject) DO NOTHING""")
				.param("scope", scope)
				.param("subject", subject)
				.update();
			// FOR UPDATE: concurrent attempts on one account or address are counted one after another.
			Row row = jdbc.sql("""
					SELECT count, last_at <= now() - make_interval(secs => :window) AS quiet,
					       coalesce(ceil(extract(epoch FROM locked_until - now())), 0)::bigint AS locked_for
					FROM auth_throttle WHERE scope = :scope AND subject = :subject
					FOR UPDATE""")
				.param("scope", scope)
				.param("subject", subject)
				.param("window", seconds(settings.failureWindow()))
				.query((rs, n) -> new Row(rs.getInt("count"), rs.getBoolean("quiet"), rs.getLong("locked_for")))
				.single();
			if (row.lockedFor() > 0) {
				return row.lockedFor();
			}
			int count = row.quiet() ? 1 : row.count() + 1;
			jdbc.sql("""
					UPDATE auth_throttle
					SET count = :count, last_at = now(),
					    window_start = CASE WHEN :quiet THEN now() ELSE window_start END,
					    locked_until = CASE WHEN :lock THEN now() + make_interval(secs => :wait) END
					WHERE scope = :scope AND subject = :subject""")
				.param("count", count)
				.param("quiet", row.quiet())
				.param("lock", count >= allowed)
				.param("wait", seconds(backoff(Math.max(0, count - allowed))))
				.param("scope", scope)
				.param("subject", subject)
				.update();
			return null;
		});
		if (lockedFor != null) {
			throw tooMany("too_many_attempts", "Too many failed sign-ins; try again later.", lockedFor);
		}
	}

	/** The wait after the allowance is used up: the base, doubled for every failure beyond it, capped. */
	private Duration backoff(int beyond) {
		Duration wait = settings.backoff();
		for (int i = 0; i < beyond && wait.compareTo(settings.maxBackoff()) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return wait.compareTo(settings.maxBackoff()) < 0 ? wait : settings.maxBackoff();
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

	private static ProblemException tooMany(String code, String detail, long retryAfter) {
		return new ProblemException(HttpStatus.TOO_MANY_REQUESTS, code, detail,
				Map.of("retryAfterSeconds", Math.max(1, retryAfter)));
	}

	/** The address as counted: IPv4 as it is, IPv6 by its /64 prefix. */
	static String subject(String address) {
		return parse(address).filter(Inet6Address.class::isInstance).map(ip -> {
			byte[] bytes = Arrays.copyOf(ip.getAddress(), 16);
			Arrays.fill(bytes, 8, 16, (byte) 0);
			try {
				return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
			}
			catch (UnknownHostException ex) {
				throw new IllegalStateException(ex);
			}
		}).orElse(address);
	}

	private static Optional<InetAddress> parse(String address) {
		// Only literals reach here (getRemoteAddr), so this never resolves a name.
		if (address.isEmpty() || !(address.indexOf(':') >= 0 || Character.isDigit(address.charAt(0)))) {
			return Optional.empty();
		}
		try {
			return Optional.of(InetAddress.getByName(address));
		}
		catch (UnknownHostException ex) {
			return Optional.empty();
		}
	}

}
