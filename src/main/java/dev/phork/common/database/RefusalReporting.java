package dev.phork.common.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Opens the pool's connections and says, once per episode, when PostgreSQL refuses one for want of
 * connection slots (SQLSTATE 53300): Hikari only retries quietly, and a process then runs on fewer
 * connections than configured, with nothing in the log. The next connection that opens ends the
 * episode, so a later one is said again.
 */
final class RefusalReporting extends DriverManagerDataSource {

	private static final Logger log = LoggerFactory.getLogger(RefusalReporting.class);

	private final int poolSize;

	private final AtomicBoolean refusing = new AtomicBoolean();

	/** The pool passes the user and password with each request for a connection. */
	RefusalReporting(String url, int poolSize) {
		super(url);
		this.poolSize = poolSize;
	}

	@Override
	protected Connection getConnectionFromDriverManager(String url, Properties props) throws SQLException {
		try {
			Connection connection = super.getConnectionFromDriverManager(url, props);
			refusing.set(false);
			return connection;
		}
		catch (SQLException ex) {
			if ("53300".equals(ex.getSQLState()) && refusing.compareAndSet(false, true)) {
				log.warn("PostgreSQL refused a connection: no connection slots left ({}). This process wants up to {}; "
						+ "keep the sum of PHORK_DATABASE_POOL_SIZE over every Phork process below the database's "
						+ "max_connections (less its reserved ones), or raise max_connections.", ex.getMessage(), poolSize);
			}
			throw ex;
		}
	}

}
