package dev.phork.identity;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import dev.phork.common.Ids;
import dev.phork.common.SharedSecrets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Issues, verifies and revokes the platform's own HS256 sign-in tokens. Every token issued has a
 * row in {@code sign_in_tokens} keyed by its {@code jti}; a token is valid only while its row is
 * there and not revoked, so a signed token that was never issued (or issued for another user) is
 * refused even with the real secret.
 */
@Component
class Tokens {

	static final String ISSUER = "phork";

	private final JwtEncoder encoder;

	private final VerifiedTokens decoder;

	private final IdentitySettings settings;

	private final JdbcClient jdbc;

	Tokens(SharedSecrets secrets, IdentitySettings settings, JdbcClient jdbc) {
		this.settings = settings;
		this.jdbc = jdbc;
		SecretKey key = new SecretKeySpec(secrets.get("jwt", settings.jwtSecret(), "PHORK_JWT_SECRET",
				"tokens signed by the others are refused here and tokens signed here there"), "HmacSHA256");
		this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(key));
		NimbusJwtDecoder nimbus = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
		nimbus.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(ISSUER),
				Tokens::requiredClaims));
		this.decoder = new VerifiedTokens(nimbus);
	}

	/** Issues a token and records it, in the caller's transaction when there is one. */
	String issue(UUID userId) {
		UUID id = Ids.newId();
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		Instant expiresAt = now.plus(settings.tokenTtl());
		jdbc.sql("""
				INSERT INTO sign_in_tokens (id, user_id, issued_at, expires_at)
				VALUES (:id, :user, :issuedAt, :expiresAt)""")
			.param("id", id)
			.param("user", userId)
			.param("issuedAt", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
			.param("expiresAt", OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
			.update();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.id(id.toString())
			.issuer(ISSUER)
			.subject(userId.toString())
			.issuedAt(now)
			.expiresAt(expiresAt)
			.build();
		JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).type("JWT").build();
		return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
	}

	/** Revokes one token; this process stops accepting it once the revocation is committed. */
	void revoke(UUID tokenId) {
		jdbc.sql("UPDATE sign_in_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = :id")
			.param("id", tokenId)
			.update();
		afterCommit(() -> decoder.forget(tokenId));
	}

	/** Revokes every token of the user; this process stops accepting them once that is committed. */
	void revokeAll(UUID userId) {
		jdbc.sql("UPDATE sign_in_tokens SET revoked_at = now() WHERE user_id = :user AND revoked_at IS NULL")
			.param("user", userId)
			.update();
		afterCommit(() -> decoder.forgetUser(userId));
	}

	/** The id of a token this class issued and verified, as the security path saw it. */
	static Optional<UUID> idOf(Jwt jwt) {
		return uuid(jwt.getId());
	}

	JwtDecoder decoder() {
		return decoder;
	}

	/** Expired tokens are refused by their {@code exp} anyway; their rows only take room. */
	@Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
	void deleteExpired() {
		jdbc.sql("DELETE FROM sign_in_tokens WHERE expires_at < now()").update();
	}

	private boolean live(UUID tokenId, UUID userId) {
		return jdbc.sql("""
				SELECT EXISTS (SELECT 1 FROM sign_in_tokens
				               WHERE id = :id AND user_id = :user AND revoked_at IS NULL AND expires_at > now())""")
			.param("id", tokenId)
			.param("user", userId)
			.query(Boolean.class)
			.single();
	}

	/**
	 * What the rest of the security path relies on: a UUID subject (the user), a UUID token id
	 * (for revocation) and an expiry (a token without one would be valid forever).
	 */
	private static OAuth2TokenValidatorResult requiredClaims(Jwt jwt) {
		if (jwt.getExpiresAt() == null) {
			return invalid("The token has no expiry.");
		}
		if (uuid(jwt.getSubject()).isEmpty()) {
			return invalid("The token's subject is not a user id.");
		}
		if (uuid(jwt.getId()).isEmpty()) {
			return invalid("The token has no valid id.");
		}
		return OAuth2TokenValidatorResult.success();
	}

	private static OAuth2TokenValidatorResult invalid(String description) {
		return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
	}

	private static Optional<UUID> uuid(@Nullable String value) {
		if (value == null || value.length() != 36) {
			return Optional.empty();
		}
		try {
			return Optional.of(UUID.fromString(value));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private static void afterCommit(Runnable action) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					action.run();
				}
			});
		}
		else {
			action.run();
		}
	}

	/**
	 * Remembers verified tokens by their text, so a client sending the same token with every request
	 * has its signature and claims checked once, not every time. A remembered token is used until it
	 * expires, but its row is looked at again once it was last checked {@code tokenRecheck} ago: a
	 * revocation in this process forgets the token at once; one made by another process is noticed
	 * here within that interval. Bounded: when full, it starts over.
	 */
	private final class VerifiedTokens implements JwtDecoder {

		private static final int MAX_TOKENS = 10_000;

		private record Verified(Jwt jwt, UUID userId, UUID tokenId, Instant checkedAt) {
		}

		private final JwtDecoder verifier;

		private final Map<String, Verified> verified = new ConcurrentHashMap<>();

		/**
		 * Counts revocations seen in this process. A decode that looked at the database before a
		 * revocation finished must not remember what it saw; this tells it that one happened.
		 */
		private final AtomicLong revocations = new AtomicLong();

		VerifiedTokens(JwtDecoder verifier) {
			this.verifier = verifier;
		}

		@Override
		public Jwt decode(String token) {
			Instant now = Instant.now();
			Verified known = verified.get(token);
			if (known != null && !now.isBefore(known.jwt().getExpiresAt())) {
				verified.remove(token);
				known = null;
			}
			if (known != null && now.isBefore(known.checkedAt().plus(settings.tokenRecheck()))) {
				return known.jwt();
			}
			long epoch = revocations.get();
			Jwt jwt = known != null ? known.jwt() : verifier.decode(token);
			UUID userId = UUID.fromString(jwt.getSubject());
			UUID tokenId = UUID.fromString(jwt.getId());
			if (!live(tokenId, userId)) {
				verified.remove(token);
				throw new BadJwtException("The token was revoked or never issued.");
			}
			if (verified.size() >= MAX_TOKENS) {
				verified.clear();
			}
			verified.put(token, new Verified(jwt, userId, tokenId, now));
			if (revocations.get() != epoch) {
				verified.remove(token);
			}
			return jwt;
		}

		void forget(UUID tokenId) {
			revocations.incrementAndGet();
			verified.values().removeIf(v -> v.tokenId().equals(tokenId));
		}

		void forgetUser(UUID userId) {
			revocations.incrementAndGet();
			verified.values().removeIf(v -> v.userId().equals(userId));
		}

	}

}
