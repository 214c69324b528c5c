package dev.phork.common;

import java.net.ConnectException;
import java.sql.SQLException;

/**
 * A reason the server cannot start that the operator can fix, said in one line. {@link #describe}
 * also recognises the common failures that Spring, the JDBC driver or the web server raise, so the
 * console shows one actionable sentence instead of a stack trace.
 */
public class StartupFailure extends RuntimeException {

	public StartupFailure(String message) {
		super(message, null, false, false);
	}

	public StartupFailure(String message, Throwable cause) {
		super(message, cause, false, false);
	}

	public static String describe(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof StartupFailure startup) {
				return startup.getMessage();
			}
		}
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t.getClass().getSimpleName().equals("PortInUseException")) {
				return t.getMessage() + "; stop the other process or start with --server.port=N (or SERVER_PORT).";
			}
			if (t instanceof SQLException sql && sql.getSQLState() != null) {
				if (sql.getSQLState().startsWith("08")) {
					return "database unreachable (" + sql.getMessage()
							+ "); check PHORK_DATABASE_URL or unset it to use the embedded database.";
				}
				if (sql.getSQLState().equals("28P01") || sql.getSQLState().equals("28000")) {
					return "the database rejected the credentials; check PHORK_DATABASE_USERNAME and PHORK_DATABASE_PASSWORD.";
				}
			}
			if (t instanceof ConnectException) {
				return "database unreachable (" + t.getMessage() + "); check PHORK_DATABASE_URL.";
			}
		}
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return "failed to start: " + root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
