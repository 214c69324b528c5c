package dev.phork.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password hashing. BCrypt reads at most 72 bytes of its input (and Spring's encoder refuses more),
 * so a password is first reduced to a digest of fixed length: SHA-256 over a Phork-specific prefix
 * and the password's UTF-8 bytes, Base64-encoded (44 ASCII characters, never a NUL byte for BCrypt
 * to stop at). The prefix keeps these digests apart from plain SHA-256 password hashes leaked
 * elsewhere, which could otherwise be tried against ours without knowing the passwords.
 * <p>
 * Pre-hashing keeps BCrypt (already in spring-security-crypto) instead of Argon2id, which would
 * bring BouncyCastle in for one function. Hashes written before this scheme are plain BCrypt of the
 * password; they still verify, and {@link #outdated} tells the sign-in that verified one to rewrite it.
 */
@Component
class Passwords {

	/** Marks a hash of this scheme; plain BCrypt hashes start with {@code $2}. */
	static final String SCHEME = "{bcrypt-sha256}";

	private static final byte[] DOMAIN = "phork-password-v1:".getBytes(StandardCharsets.UTF_8);

	private static final int BCRYPT_MAX_BYTES = 72;

	private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();

	String hash(String password) {
		return SCHEME + bcrypt.encode(digest(password));
	}

	boolean matches(String password, String stored) {
		if (stored.startsWith(SCHEME)) {
			return bcrypt.matches(digest(password), stored.substring(SCHEME.length()));
		}
		// A plain BCrypt hash was made from at most 72 bytes: a longer password cannot be its source.
		return password.getBytes(StandardCharsets.UTF_8).length <= BCRYPT_MAX_BYTES && bcrypt.matches(password, stored);
	}

	/** Whether a hash should be rewritten with the current scheme and cost once its password is known. */
	boolean outdated(String stored) {
		return !stored.startsWith(SCHEME) || bcrypt.upgradeEncoding(stored.substring(SCHEME.length()));
	}

	private static String digest(String password) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update(DOMAIN);
			return Base64.getEncoder().encodeToString(sha256.digest(password.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
