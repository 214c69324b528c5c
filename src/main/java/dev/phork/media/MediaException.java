package dev.phork.media;

/** A failed FFmpeg or ffprobe run; {@link #isTransient()} tells whether running it again may succeed. */
public class MediaException extends RuntimeException {

	private final boolean transientFailure;

	public MediaException(String message, boolean transientFailure) {
		super(message);
		this.transientFailure = transientFailure;
	}

	public MediaException(String message, boolean transientFailure, Throwable cause) {
		super(message, cause);
		this.transientFailure = transientFailure;
	}

	public boolean isTransient() {
		return transientFailure;
	}

}
