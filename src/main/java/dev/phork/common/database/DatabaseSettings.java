package dev.phork.common.database;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the database is. With no {@code url} ({@code PHORK_DATABASE_URL}) the server runs its own
 * embedded PostgreSQL with its data under the data folder.
 *
 * @param embeddedPort port of the embedded server; 0 picks a free one on every start
 * @param embeddedUserId when Phork runs as root, the embedded PostgreSQL (which refuses root) runs
 * as this unprivileged uid and gid, through setpriv
 * @param connectionTimeout how long a request waits for a pooled connection before it is answered
 * 503 {@code database_unavailable}
 * @param waitAtStart keep trying an unreachable database at start instead of failing; the
 * {@code worker} command sets it, {@code serve} fails fast with one line
 */
@ConfigurationProperties("phork.database")
public record DatabaseSettings(String url, String username, String password, int maxPoolSize,
		int embeddedPort, int embeddedUserId, Duration connectionTimeout, boolean waitAtStart) {

	public boolean embedded() {
		return url == null || url.isBlank();
	}

}
