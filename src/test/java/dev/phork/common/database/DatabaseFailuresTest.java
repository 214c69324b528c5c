package dev.phork.common.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures fail a whole batch at once, and which are worth retrying item by item. */
class DatabaseFailuresTest {

	@Test
	void noConnectionMeansTheDatabaseIsUnavailable() {
		assertThat(DatabaseFailures.unavailable(new CannotGetJdbcConnectionException("pool exhausted"))).isTrue();
		assertThat(DatabaseFailures.unavailable(new CannotCreateTransactionException("no connection",
				new CannotGetJdbcConnectionException("timeout", new SQLException("timeout"))))).isTrue();
	}

	@Test
	void oneStatementsFailureDoesNot() {
		assertThat(DatabaseFailures.unavailable(new DataIntegrityViolationException("NUL in text"))).isFalse();
		assertThat(DatabaseFailures.unavailable(new PessimisticLockingFailureException("deadlock detected"))).isFalse();
		assertThat(DatabaseFailures.unavailable(new IllegalStateException("quota moved"))).isFalse();
	}

}
