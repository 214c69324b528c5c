package dev.phork.identity;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import dev.phork.common.Secrets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

/** Issues and verifies the platform's own HS256 sign-in tokens. */
@Component
class Tokens {

	static final String ISSUER = "phork";

	private final JwtEncoder encoder;

	private final JwtDecoder decoder;

	private final IdentitySettings settings;

	Tokens(Secrets secrets, IdentitySettings settings) {
		this.settings = settings;
		SecretKey key = new SecretKeySpec(secrets.get("jwt", settings.jwtSecret()), "HmacSHA256");
		this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(key));
		NimbusJwtDecoder nimbus = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
		nimbus.setJwtValidator(JwtValidators.createDefaultWithIssuer(ISSUER));
		this.decoder = new VerifiedTokens(nimbus);
	}

	String issue(UUID userId) {
		Instant now = Instant.now();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(ISSUER)
			.subject(userId.toString())
			.issuedAt(now)
			.expiresAt(now.plus(settings.tokenTtl()))
			.build();
		JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).type("JWT").build();
		return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
	}

	JwtDecoder decoder() {
		return decoder;
	}

	/**
	 * Remembers verified tokens by their text, so a client sending the same token with every request
	 * has its signature and claims checked once, not every time. A remembered token is used only
	 * until it expires; after that it is verified again, which refuses it as the verifier always
	 * would. Bounded: when full, it starts over.
	 */
	private static final class VerifiedTokens implements JwtDecoder {

		private static final int MAX_TOKENS = 10_000;

		private final JwtDecoder verifier;

		private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

		VerifiedTokens(JwtDecoder verifier) {
			this.verifier = verifier;
		}

		@Override
		public Jwt decode(String token) {
			Jwt known = verified.get(token);
			if (known != null && known.getExpiresAt() != null && Instant.now().isBefore(known.getExpiresAt())) {
				return known;
			}
			verified.remove(token);
			Jwt jwt = verifier.decode(token);
			if (verified.size() >= MAX_TOKENS) {
				verified.clear();
			}
			verified.put(token, jwt);
			return jwt;
		}

	}

}
