package dev.phork.common.database;

import java.io.IOException;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Spring's JDBC transaction manager, telling apart a COMMIT the database refused (the transaction
 * is rolled back: an ordinary failure) from one whose connection broke on the way
 * ({@link CommitOutcomeUnknown}): SQLSTATE class 08 (connection exception), 57P01-57P03 (the
 * server shutting down, crashed or terminating the backend) or an I/O failure of the driver.
 */
class OutcomeAwareTransactionManager extends JdbcTransactionManager {

	OutcomeAwareTransactionManager(DataSource dataSource) {
		super(dataSource);
	}

	@Override
	protected void doCommit(DefaultTransactionStatus status) {
		try {
			super.doCommit(status);
		}
		catch (RuntimeException ex) {
			if (connectionBroke(ex)) {
				throw new CommitOutcomeUnknown(ex);
			}
			throw ex;
		}
	}

	private static boolean connectionBroke(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
				return true;
			}
			if (cause instanceof IOException) {
				return true;
			}
		}
		return false;
	}

}
