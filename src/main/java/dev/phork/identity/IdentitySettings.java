package dev.phork.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param jwtSecret HS256 secret ({@code PHORK_JWT_SECRET}); generated into the data folder when unset
 * @param tokenTtl how long a sign-in token lives
 * @param tokenRecheck how long a process trusts its memory that a token is not revoked before asking
 *        the database again: the longest a revocation made by another process goes unnoticed here
 * @param throttle sign-in and registration limits
 */
@ConfigurationProperties("phork.auth")
record IdentitySettings(String jwtSecret, Duration tokenTtl, Duration tokenRecheck, Throttle throttle) {

	IdentitySettings {
		if (tokenRecheck.isNegative()) {
			throw new IllegalArgumentException("phork.auth.token-recheck must not be negative");
		}
	}

	/**
	 * @param accountFailures failed sign-ins an account (an email) gets before each further one
	 *        costs a wait
	 * @param addressFailures the same for one client address, over all the emails it tries
	 * @param backoff the first wait; it doubles with every further failure
	 * @param maxBackoff the longest wait
	 * @param failureWindow failures are forgotten after this long without a new one
	 * @param registrationsPerAddress registrations one client address may attempt per window
	 * @param registrationWindow that window
	 */
	record Throttle(int accountFailures, int addressFailures, Duration backoff, Duration maxBackoff,
			Duration failureWindow, int registrationsPerAddress, Duration registrationWindow) {

		Throttle {
			if (accountFailures < 1 || addressFailures < 1 || registrationsPerAddress < 1) {
				throw new IllegalArgumentException("phork.auth.throttle: failure and registration limits must be at least 1");
			}
			if (backoff.isNegative() || backoff.isZero() || maxBackoff.compareTo(backoff) < 0) {
				throw new IllegalArgumentException("phork.auth.throttle: backoff must be positive and at most max-backoff");
			}
		}

	}

}
