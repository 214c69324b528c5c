package dev.phork.common.database;

import com.zaxxer.hikari.HikariDataSource;
import dev.phork.common.DataDirectory;
import dev.phork.common.Secrets;
import dev.phork.common.StartupFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one DataSource: the configured PostgreSQL, or the embedded one. Declaring it here makes Spring
 * Boot's own DataSource configuration step aside; Flyway and JdbcClient use this one.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

	@Bean(destroyMethod = "close")
	DatabaseServer databaseServer(DatabaseSettings settings, DataDirectory dataDirectory, Secrets secrets) {
		if (settings.embedded()) {
			EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDirectory.root(), secrets, settings.embeddedPort(),
					settings.embeddedUserId());
			return new DatabaseServer(postgres.jdbcUrl(), postgres.username(), postgres.password(), postgres);
		}
		DatabaseServer server = new DatabaseServer(settings.url(), settings.username(), settings.password(), null);
		server.checkReachable();
		return server;
	}

	@Bean(destroyMethod = "close")
	HikariDataSource dataSource(DatabaseServer server, DatabaseSettings settings) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(server.jdbcUrl());
		if (server.username() != null) {
			dataSource.setUsername(server.username());
		}
		if (server.password() != null) {
			dataSource.setPassword(server.password());
		}
		dataSource.setMaximumPoolSize(settings.maxPoolSize());
		// Plan every statement against the tables as they are now. Tables here grow fast (commits,
		// jobs); a generic plan cached while a table was tiny keeps scanning it whole long after
		// it has grown (seen in bench/: commit lists went from 0.2 ms to 24 ms at 10 000 commits).
		dataSource.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
		dataSource.setPoolName("phork");
		return dataSource;
	}

	/** The database the server talks to, and the embedded process behind it if there is one. */
	record DatabaseServer(String jdbcUrl, @Nullable String username, @Nullable String password,
			@Nullable EmbeddedPostgres embedded) implements AutoCloseable {

		/** Fails the start with one line when the configured database cannot be reached or refuses us. */
		void checkReachable() {
			Properties props = new Properties();
			if (username != null && !username.isBlank()) {
				props.setProperty("user", username);
			}
			if (password != null && !password.isBlank()) {
				props.setProperty("password", password);
			}
			props.setProperty("connectTimeout", "10");
			try (Connection ignored = DriverManager.getConnection(jdbcUrl, props)) {
				// reachable
			}
			catch (SQLException ex) {
				throw new StartupFailure(StartupFailure.describe(ex), ex);
			}
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
