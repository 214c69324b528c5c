package dev.phork.common.database;

import org.springframework.transaction.TransactionSystemException;

/**
 * The connection failed while a COMMIT was on its way: the database may have committed the
 * transaction or not, and this process cannot tell which. The client is told so (503
 * {@code outcome_unknown}) and to repeat the request with the same Idempotency-Key, which answers
 * the committed result if there is one and does the work once if there is not.
 */
public class CommitOutcomeUnknown extends TransactionSystemException {

	CommitOutcomeUnknown(Throwable cause) {
		super("the connection failed during COMMIT; the transaction may or may not have been committed", cause);
	}

}
