package dev.phork.common.database;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Telling a failure of the database as a whole from a failure of one statement's data. */
public final class DatabaseFailures {

	private DatabaseFailures() {
	}

	/**
	 * Whether {@code failure} means the database could not be used at all (no connection, the pool
	 * exhausted, the server gone): retrying a batch's items one by one would only repeat it, each
	 * after its own connection timeout.
	 */
	public static boolean unavailable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException) {
				return true;
			}
		}
		return false;
	}

}
