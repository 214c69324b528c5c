package dev.phork.common;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A failure the client can act on. Answered as an RFC 9457 problem with a stable {@code code}; the
 * message is the problem's {@code detail}, so it must never carry internals.
 */
public class ProblemException extends RuntimeException {

	private final HttpStatus status;

	private final String code;

	private final Map<String, Object> properties;

	public ProblemException(HttpStatus status, String code, String detail) {
		this(status, code, detail, Map.of());
	}

	public ProblemException(HttpStatus status, String code, String detail, Map<String, Object> properties) {
		super(detail, null, false, false);
		this.status = status;
		this.code = code;
		this.properties = Map.copyOf(properties);
	}

	public static ProblemException notFound(String kind, Object id) {
		return new ProblemException(HttpStatus.NOT_FOUND, kind + "_not_found", "No " + kind + " " + id + ".");
	}

	public static ProblemException badRequest(String code, String detail) {
		return new ProblemException(HttpStatus.BAD_REQUEST, code, detail);
	}

	/** A 400 naming the fields at fault ({@code errors}, as validation failures carry them). */
	public static ProblemException invalidFields(String code, String detail, List<FieldError> errors) {
		return new ProblemException(HttpStatus.BAD_REQUEST, code, detail, Map.of("errors", errors));
	}

	public static ProblemException conflict(String code, String detail) {
		return new ProblemException(HttpStatus.CONFLICT, code, detail);
	}

	public static ProblemException forbidden(String detail) {
		return new ProblemException(HttpStatus.FORBIDDEN, "forbidden", detail);
	}

	public static ProblemException unprocessable(String code, String detail) {
		return new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, code, detail);
	}

	public HttpStatus status() {
		return status;
	}

	public String code() {
		return code;
	}

	public Map<String, Object> properties() {
		return properties;
	}

}
