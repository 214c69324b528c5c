package dev.phork.identity;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import dev.phork.common.Secrets;
import java.time.Instant;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
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
		this.decoder = nimbus;
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

}
