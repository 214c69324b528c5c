package dev.phork.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param jwtSecret HS256 secret ({@code PHORK_JWT_SECRET}); generated into the data folder when unset
 * @param tokenTtl how long a sign-in token lives
 */
@ConfigurationProperties("phork.auth")
record IdentitySettings(String jwtSecret, Duration tokenTtl) {
}
