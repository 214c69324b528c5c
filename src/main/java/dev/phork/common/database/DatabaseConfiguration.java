package dev.phork.common.database;

import com.zaxxer.hikari.HikariDataSource;
import dev.phork.common.DataDirectory;
import dev.phork.common.Secrets;
import dev.phork.common.StartupFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one DataSource: the configured PostgreSQL, or the embedded one. Declaring it here makes Spring
 * Boot's own DataSource configuration step aside; Flyway and JdbcClient use this one.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

	private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

	@Bean(destroyMethod = "close")
	DatabaseServer databaseServer(DatabaseSettings settings, DataDirectory dataDirectory, Secrets secrets) {
		if (settings.embedded()) {
			EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDirectory.root(), secrets, settings.embeddedPort(),
					settings.embeddedUserId());
			return new DatabaseServer(postgres.jdbcUrl(), postgres.username(), postgres.password(), postgres);
		}
		DatabaseServer server = new DatabaseServer(settings.url(), settings.username(), settings.password(), null);
		if (settings.waitAtStart()) {
			server.awaitReachable();
		}
		else {
			server.checkReachable();
		}
		return server;
	}

	@Bean(destroyMethod = "close")
	HikariDataSource dataSource(DatabaseServer server, DatabaseSettings settings) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setDataSource(new RefusalReporting(server.jdbcUrl(), settings.maxPoolSize()));
		// Also kept on the pool, which opens its connections through RefusalReporting with them.
		dataSource.setJdbcUrl(server.jdbcUrl());
		if (server.username() != null && !server.username().isBlank()) {
			dataSource.setUsername(server.username());
		}
		if (server.password() != null && !server.password().isBlank()) {
			dataSource.setPassword(server.password());
		}
		dataSource.setMaximumPoolSize(settings.maxPoolSize());
		// A request that finds no connection within this answers 503 database_unavailable at once,
		// instead of holding its client for Hikari's default 30 s.
		dataSource.setConnectionTimeout(Math.max(250, settings.connectionTimeout().toMillis()));
		// Plan every statement against the tables as they are now. Tables here grow fast (commits,
		// jobs); a generic plan cached while a table was tiny keeps scanning it whole long after
		// it has grown (seen in bench/: commit lists went from 0.2 ms to 24 ms at 10 000 commits).
		dataSource.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
		dataSource.setPoolName("phork");
		return dataSource;
	}

	/** Replaces Spring Boot's transaction manager, which steps aside for it. */
	@Bean
	OutcomeAwareTransactionManager transactionManager(HikariDataSource dataSource) {
		return new OutcomeAwareTransactionManager(dataSource);
	}

	/** The database the server talks to, and the embedded process behind it if there is one. */
	record DatabaseServer(String jdbcUrl, @Nullable String username, @Nullable String password,
			@Nullable EmbeddedPostgres embedded) implements AutoCloseable {

		/** Fails the start with one line when the configured database cannot be reached or refuses us. */
		void checkReachable() {
			try (Connection ignored = connect()) {
				// reachable
			}
			catch (SQLException ex) {
				throw new StartupFailure(StartupFailure.describe(ex), ex);
			}
		}

		/**
		 * Waits, however long it takes, until the database answers: a worker may start before it
		 * (the same deploy, a database restarting). Says so once, then every minute while it waits.
		 */
		void awaitReachable() {
			long lastSaid = 0;
			while (true) {
				try (Connection ignored = connect()) {
					if (lastSaid != 0) {
						log.info("The database at {} answers; starting.", redacted());
					}
					return;
				}
				catch (SQLException ex) {
					if (lastSaid == 0 || System.nanoTime() - lastSaid > Duration.ofMinutes(1).toNanos()) {
						log.warn("Waiting for the database at {}: {} Retrying every 2 s.", redacted(), StartupFailure.describe(ex));
						lastSaid = System.nanoTime();
					}
				}
				try {
					Thread.sleep(2000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new StartupFailure("interrupted while waiting for the database at " + redacted() + ".");
				}
			}
		}

		String redacted() {
			return jdbcUrl.replaceAll("password=[^&]*", "password=***");
		}

		private Connection connect() throws SQLException {
			Properties props = new Properties();
			if (username != null && !username.isBlank()) {
				props.setProperty("user", username);
			}
			if (password != null && !password.isBlank()) {
				props.setProperty("password", password);
			}
			props.setProperty("connectTimeout", "10");
			return DriverManager.getConnection(jdbcUrl, props);
		}

		/** Without the password: a record's own toString would print it. */
		@Override
		public String toString() {
			return "DatabaseServer[" + jdbcUrl + " as " + username + "]";
		}

		@Override
		public void close() {
			if (embedded != null) {
				embedded.close();
			}
		}

	}

}
