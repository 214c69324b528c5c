package dev.phork.identity;

import dev.phork.common.Ids;
import dev.phork.common.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * API keys for scripts. The secret is shown once; only its SHA-256 is stored. A key is 32 random
 * bytes, so a fast hash is enough: there is nothing to brute-force the way there is for passwords.
 */
@Service
class ApiKeys {

	static final String PREFIX = "phk_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	ApiKeys(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record ApiKeyView(UUID id, String name, String prefix, Instant createdAt, @Nullable Instant expiresAt,
			@Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {
	}

	record CreatedApiKey(UUID id, String name, String prefix, String key, Instant createdAt,
			@Nullable Instant expiresAt) {
	}

	/** A key without {@code expiresAt} lives until it is revoked. */
	CreatedApiKey create(UUID userId, String name, @Nullable Instant expiresAt) {
		if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
			throw ProblemException.badRequest("expiry_in_past", "expiresAt must be in the future.");
		}
		byte[] random = new byte[32];
		RANDOM.nextBytes(random);
		String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		UUID id = Ids.newId();
		String prefix = key.substring(0, 12);
		Instant createdAt = jdbc.sql("""
				INSERT INTO api_keys (id, user_id, name, prefix, key_hash, expires_at)
				VALUES (:id, :user, :name, :prefix, :hash, :expiresAt)
				RETURNING created_at""")
			.param("id", id)
			.param("user", userId)
			.param("name", name)
			.param("prefix", prefix)
			.param("hash", sha256(key))
			.param("expiresAt", expiresAt == null ? null : OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
			.query(OffsetDateTime.class)
			.single()
			.toInstant();
		return new CreatedApiKey(id, name, prefix, key, createdAt, expiresAt);
	}

	List<ApiKeyView> list(UUID userId) {
		return jdbc.sql("""
				SELECT id, name, prefix, created_at, expires_at, last_used_at, revoked_at
				FROM api_keys WHERE user_id = :user ORDER BY id""")
			.param("user", userId)
			.query((rs, n) -> new ApiKeyView(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("prefix"),
					instant(rs.getObject("created_at", OffsetDateTime.class)),
					instant(rs.getObject("expires_at", OffsetDateTime.class)),
					instant(rs.getObject("last_used_at", OffsetDateTime.class)),
					instant(rs.getObject("revoked_at", OffsetDateTime.class))))
			.list();
	}

	void revoke(UUID userId, UUID keyId) {
		int found = jdbc.sql("""
				UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
				WHERE id = :id AND user_id = :user""")
			.param("id", keyId)
			.param("user", userId)
			.update();
		if (found == 0) {
			throw ProblemException.notFound("api_key", keyId);
		}
	}

	/**
	 * The user a live (not revoked, not expired) key belongs to. Marks it used at most once a minute,
	 * so reads stay reads.
	 */
	Optional<UUID> authenticate(String key) {
		record Live(UUID id, UUID userId, boolean stale) {
		}
		Optional<Live> live = jdbc.sql("""
				SELECT id, user_id, last_used_at IS NULL OR last_used_at < now() - interval '1 minute' AS stale
				FROM api_keys
				WHERE key_hash = :hash AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())""")
			.param("hash", sha256(key))
			.query((rs, n) -> new Live(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
					rs.getBoolean("stale")))
			.optional();
		live.filter(Live::stale)
			.ifPresent(k -> jdbc.sql("UPDATE api_keys SET last_used_at = now() WHERE id = :id").param("id", k.id()).update());
		return live.map(Live::userId);
	}

	private static byte[] sha256(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime time) {
		return time == null ? null : time.toInstant();
	}

}
