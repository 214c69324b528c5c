package dev.phork.generation;

/** A provider failure; {@link #isTransient()} tells the engine whether a retry may succeed. */
public class ProviderException extends RuntimeException {

	private final boolean transientFailure;

	public ProviderException(String message, boolean transientFailure) {
		super(message);
		this.transientFailure = transientFailure;
	}

	public ProviderException(String message, boolean transientFailure, Throwable cause) {
		super(message, cause);
		this.transientFailure = transientFailure;
	}

	public boolean isTransient() {
		return transientFailure;
	}

}
