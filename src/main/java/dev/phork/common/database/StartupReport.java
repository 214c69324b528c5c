package dev.phork.common.database;

import com.zaxxer.hikari.HikariDataSource;
import dev.phork.common.DataDirectory;
import dev.phork.common.database.DatabaseConfiguration.DatabaseServer;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Says, once the server is up, where it listens, where its data lives, which database it uses, and
 * how many of that database's connections this process may take.
 */
@Component
class StartupReport {

	private final Environment environment;

	private final DataDirectory dataDirectory;

	private final DatabaseServer database;

	private final HikariDataSource pool;

	private final JdbcClient jdbc;

	StartupReport(Environment environment, DataDirectory dataDirectory, DatabaseServer database, HikariDataSource pool,
			JdbcClient jdbc) {
		this.environment = environment;
		this.dataDirectory = dataDirectory;
		this.database = database;
		this.pool = pool;
		this.jdbc = jdbc;
	}

	@EventListener(ApplicationReadyEvent.class)
	void report() {
		String port = environment.getProperty("local.server.port");
		String managementPort = environment.getProperty("local.management.port");
		String where = database.embedded() != null
				? (database.embedded().owned() ? "" : "shared ") + "embedded PostgreSQL on 127.0.0.1:"
						+ database.embedded().port() + " (data in "
						+ database.embedded().clusterFolder() + ")"
				: "external PostgreSQL " + database.redacted();
		String maxConnections = jdbc.sql("SHOW max_connections").query(String.class).single();
		System.out.println();
		System.out.println("  Phork is running");
		if (port != null) {
			System.out.println("  url:       http://localhost:" + port);
		}
		if (managementPort != null) {
			System.out.println("  actuator:  http://" + environment.getProperty("management.server.address", "localhost") + ":"
					+ managementPort + "/actuator");
		}
		System.out.println("  data dir:  " + dataDirectory.root());
		System.out.println("  database:  " + where);
		System.out.println("  pool:      " + pool.getMaximumPoolSize() + " connections (the database's max_connections: "
				+ maxConnections + ", shared by every process)");
		System.out.println();
	}

}
