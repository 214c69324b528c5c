package dev.phork.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The signing secrets (JWT, mint receipts, content URLs), the same in every Phork process that
 * shares the database. A secret set by environment wins and is never written anywhere; otherwise
 * the first process to start generates it into {@code shared_secrets} and every later one reads it.
 * Two processes starting together both try to insert theirs and both read back the one that won
 * (the primary key decides). An installation upgraded from per-folder secrets seeds the table with
 * the one its data folder already has, so its tokens and receipts stay valid. Each secret's
 * fingerprint is kept too, so a process whose configured secret disagrees with the one the others
 * use (and the database's assets were minted with) says so at start, in one line.
 */
@Component
public class SharedSecrets {

	private static final Logger log = LoggerFactory.getLogger(SharedSecrets.class);

	private final JdbcClient jdbc;

	private final Secrets folder;

	public SharedSecrets(JdbcClient jdbc, Secrets folder) {
		this.jdbc = jdbc;
		this.folder = folder;
	}

	/**
	 * The secret {@code name}: {@code configured} (from {@code variable}) when set, else the shared one.
	 * {@code consequence} ends the one-line warning when a configured secret disagrees.
	 */
	public byte[] get(String name, @Nullable String configured, String variable, String consequence) {
		if (configured != null && !configured.isBlank()) {
			byte[] bytes = configured.getBytes(StandardCharsets.UTF_8);
			if (bytes.length < 32) {
				throw new StartupFailure("the configured secret " + variable + " is shorter than 32 bytes.");
			}
			String fingerprint = fingerprint(bytes);
			jdbc.sql("INSERT INTO shared_secrets (name, fingerprint) VALUES (:name, :fp) ON CONFLICT (name) DO NOTHING")
				.param("name", name).param("fp", fingerprint).update();
			String known = jdbc.sql("SELECT fingerprint FROM shared_secrets WHERE name = :name").param("name", name)
				.query(String.class).single();
			if (!known.equals(fingerprint)) {
				log.warn("{} differs from the secret the other Phork processes on this database use: {}; set the same "
						+ "value in every process, or unset it everywhere to share the generated one.", variable, consequence);
			}
			return bytes;
		}
		byte[] candidate = folder.existing(name).orElseGet(SharedSecrets::generate);
		jdbc.sql("""
				INSERT INTO shared_secrets (name, secret, fingerprint) VALUES (:name, :secret, :fp)
				ON CONFLICT (name) DO NOTHING""")
			.param("name", name).param("secret", candidate).param("fp", fingerprint(candidate)).update();
		Optional<byte[]> shared = jdbc.sql("SELECT secret FROM shared_secrets WHERE name = :name").param("name", name)
			.query((rs, i) -> Optional.ofNullable(rs.getBytes(1))).single();
		return shared.orElseThrow(() -> new StartupFailure("the other Phork processes on this database take the secret from "
				+ variable + "; set it here too."));
	}

	private static byte[] generate() {
		byte[] secret = new byte[48];
		new SecureRandom().nextBytes(secret);
		return secret;
	}

	private static String fingerprint(byte[] secret) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal("phork secret fingerprint".getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
