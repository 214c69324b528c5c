package dev.phork.common;

import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the RFC 9457 bodies every error in Phork answers with. */
public final class Problems {

	public static final String TYPE_BASE = "https://phork.dev/problems/";

	private Problems() {
	}

	/** The stable code of an error that has nothing more specific to say than its status. */
	public static String codeFor(int status) {
		return switch (status) {
			case 400 -> "bad_request";
			case 401 -> "unauthorized";
			case 403 -> "forbidden";
			case 404 -> "not_found";
			case 405 -> "method_not_allowed";
			case 406 -> "not_acceptable";
			case 413 -> "payload_too_large";
			case 414 -> "uri_too_long";
			case 415 -> "unsupported_media_type";
			case 416 -> "range_not_satisfiable";
			case 431 -> "headers_too_large";
			default -> status >= 500 ? "internal_error" : "http_" + status;
		};
	}

	public static ProblemDetail of(HttpStatusCode status, String code, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + code));
		problem.setProperty("code", code);
		return problem;
	}

}
