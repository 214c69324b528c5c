package dev.phork.common;

import dev.phork.common.database.CommitOutcomeUnknown;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into an RFC 9457 problem with a stable {@code code}. Spring MVC's own
 * exceptions get codes here too, so a client never sees a body of another shape, and an unexpected
 * exception is logged and answered as a bare 500 with no internals.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	/** The API's routes, looked up lazily: the handler mapping is built after the advice. */
	private final ObjectProvider<RequestMappingHandlerMapping> routes;

	ProblemHandler(@Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> routes) {
		this.routes = routes;
	}

	@ExceptionHandler(ProblemException.class)
	ResponseEntity<ProblemDetail> handleProblem(ProblemException ex) {
		ProblemDetail problem = Problems.of(ex.status(), ex.code(), ex.getMessage());
		ex.properties().forEach(problem::setProperty);
		ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.status());
		if (ex.properties().get("retryAfterSeconds") instanceof Number seconds) {
			response.header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds.longValue()));
		}
		return response.body(problem);
	}

	@ExceptionHandler(DataIntegrityViolationException.class)
	ResponseEntity<ProblemDetail> handleIntegrity(DataIntegrityViolationException ex) {
		// Reached only when a constraint catches what the services did not check first: a race
		// between two writers. The database refused it, so nothing changed.
		log.info("Constraint refused a write: {}", ex.getMostSpecificCause().getMessage());
		return ResponseEntity.status(HttpStatus.CONFLICT)
			.body(Problems.of(HttpStatus.CONFLICT, "conflict", "The request conflicts with the current state; retry it."));
	}

	/** A query string Tomcat cannot parse: a parameter without a name, bad percent-encoding. */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<ProblemDetail> handleInvalidQuery(InvalidParameterException ex) {
		return ResponseEntity.badRequest()
			.body(Problems.of(HttpStatus.BAD_REQUEST, "invalid_query",
					"The query string cannot be parsed: each parameter needs a name, and '%' must start a "
							+ "percent-encoded UTF-8 byte (%41)."));
	}

	/** A multipart body that does not parse: no boundary, cut short, a NUL in a file name. */
	@ExceptionHandler(MultipartException.class)
	ResponseEntity<ProblemDetail> handleMalformedMultipart(MultipartException ex) {
		return ResponseEntity.badRequest()
			.body(Problems.of(HttpStatus.BAD_REQUEST, "malformed_multipart",
					"The multipart body cannot be parsed: it needs a boundary, complete parts and file names "
							+ "without control characters."));
	}

	/** The pool found no connection within PHORK_DATABASE_CONNECTION_TIMEOUT: the database is down or out of reach. */
	@ExceptionHandler({ DataAccessResourceFailureException.class, CannotCreateTransactionException.class })
	ResponseEntity<ProblemDetail> handleDatabaseUnavailable(Exception ex) {
		log.warn("The database is unavailable: {}", ex.getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
			.body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable",
					"The database cannot be reached right now; retry in a few seconds."));
	}

	@ExceptionHandler(CommitOutcomeUnknown.class)
	ResponseEntity<ProblemDetail> handleOutcomeUnknown(CommitOutcomeUnknown ex) {
		log.warn("A commit's outcome is unknown: {}", ex.getMostSpecificCause().getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
			.body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "outcome_unknown",
					"The database connection broke while the change was being committed, so whether it was made is unknown. "
							+ "Repeat the request with the same Idempotency-Key: it answers the change if it was made, "
							+ "and makes it once if it was not."));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
		log.error("Unexpected failure", ex);
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "An unexpected error occurred."));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = new ArrayList<>();
		ex.getBindingResult().getFieldErrors()
			.forEach(e -> errors.add(new FieldError(e.getField(), String.valueOf(e.getDefaultMessage()))));
		ex.getBindingResult().getGlobalErrors()
			.forEach(e -> errors.add(new FieldError(e.getObjectName(), String.valueOf(e.getDefaultMessage()))));
		return validationFailed(errors, headers);
	}

	/**
	 * Tomcat reports a part whose headers pass {@code server.tomcat.max-part-header-size} (a file
	 * name of thousands of characters) as the upload being too large; it is a malformed request.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			// Tomcat's own wording; no exception type sets this limit apart from the size of the upload.
			if (t.getMessage() != null && t.getMessage().startsWith("Header section has more than")) {
				return problem(HttpStatus.BAD_REQUEST, "part_header_too_large",
						"A part's headers, its file name included, are longer than this server accepts (8 KB).", headers);
			}
		}
		return super.handleMaxUploadSizeExceededException(ex, headers, status, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = new ArrayList<>();
		for (ParameterValidationResult result : ex.getParameterValidationResults()) {
			String name = result.getMethodParameter().getParameterName();
			result.getResolvableErrors()
				.forEach(e -> errors.add(new FieldError(String.valueOf(name), String.valueOf(e.getDefaultMessage()))));
		}
		return validationFailed(errors, headers);
	}

	/**
	 * A path segment that did not convert ({@code GET /jobs/gen-video} read as {@code GET /jobs/{id}})
	 * where a more specific route matches the path for other methods ({@code POST /jobs/gen-video}):
	 * the client used the wrong method, so 405 with {@code Allow}, not a 400 about a parameter.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		if (ex instanceof MethodArgumentTypeMismatchException mismatch
				&& mismatch.getParameter().hasParameterAnnotation(PathVariable.class)
				&& request instanceof ServletWebRequest servlet) {
			Set<HttpMethod> allowed = methodsOfMoreSpecificRoutes(servlet.getRequest());
			if (!allowed.isEmpty()) {
				HttpHeaders allow = new HttpHeaders();
				allow.setAllow(allowed);
				return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).headers(allow)
					.body(Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
							"Method '" + servlet.getRequest().getMethod() + "' is not supported here; use "
									+ allowed.stream().map(HttpMethod::name).sorted().toList() + "."));
			}
		}
		return super.handleTypeMismatch(ex, headers, status, request);
	}

	private Set<HttpMethod> methodsOfMoreSpecificRoutes(HttpServletRequest request) {
		if (!(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String best)) {
			return Set.of();
		}
		PathPattern matched = PathPatternParser.defaultInstance.parse(best);
		PathContainer path = ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication();
		Set<HttpMethod> allowed = new LinkedHashSet<>();
		routes.getObject().getHandlerMethods().keySet().forEach(route -> {
			if (route.getPathPatternsCondition() == null) {
				return;
			}
			for (PathPattern pattern : route.getPathPatternsCondition().getPatterns()) {
				if (pattern.matches(path) && PathPattern.SPECIFICITY_COMPARATOR.compare(pattern, matched) < 0) {
					route.getMethodsCondition().getMethods().forEach(method -> allowed.add(method.asHttpMethod()));
				}
			}
		});
		return allowed;
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof RequestSizeLimit.BodyTooLarge tooLarge) {
				return problem(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", tooLarge.getMessage(), headers);
			}
		}
		Throwable cause = ex.getMostSpecificCause();
		if (cause instanceof StreamReadException read && read.getMessage() != null
				&& read.getMessage().startsWith("Duplicate Object property")) {
			return validationFailed(List.of(new FieldError(path(read.processor()), "is given more than once")), headers);
		}
		if (cause instanceof UnrecognizedPropertyException unknown) {
			String field = path(unknown);
			return validationFailed(List.of(new FieldError(field, "unknown field; the server sets ids and lineage itself")),
					headers);
		}
		if (cause instanceof JacksonException json && !(cause instanceof StreamReadException)) {
			return validationFailed(List.of(new FieldError(path(json), "has the wrong type or format")), headers);
		}
		String detail = ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")
				? "The request needs a JSON body." : "The request body is not valid JSON.";
		return problem(HttpStatus.BAD_REQUEST, "malformed_body", detail, headers);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			String code = codeFor(ex, statusCode);
			problem.setType(java.net.URI.create(Problems.TYPE_BASE + code));
			problem.setProperty("code", code);
			if (ex instanceof MethodArgumentTypeMismatchException mismatch) {
				problem.setDetail("Parameter '" + mismatch.getName() + "' has an invalid value.");
				problem.setProperty("errors", List.of(new FieldError(mismatch.getName(), "has an invalid value")));
			}
		}
		return response;
	}

	private static String codeFor(Exception ex, HttpStatusCode status) {
		return ex instanceof MethodArgumentTypeMismatchException ? "invalid_parameter" : Problems.codeFor(status.value());
	}

	/** Where the parser stood when it stopped: the path of the key or element it was reading. */
	private static String path(@Nullable JsonParser parser) {
		List<String> segments = new ArrayList<>();
		for (TokenStreamContext at = parser == null ? null : parser.streamReadContext(); at != null && !at.inRoot();
				at = at.getParent()) {
			if (at.inObject() && at.currentName() != null) {
				segments.addFirst("." + at.currentName());
			}
			else if (at.inArray()) {
				segments.addFirst("[" + at.getCurrentIndex() + "]");
			}
		}
		String path = String.join("", segments);
		return path.isEmpty() ? "body" : path.startsWith(".") ? path.substring(1) : path;
	}

	private static String path(JacksonException ex) {
		StringBuilder out = new StringBuilder();
		for (JacksonException.Reference ref : ex.getPath()) {
			if (ref.getPropertyName() != null) {
				if (!out.isEmpty()) {
					out.append('.');
				}
				out.append(ref.getPropertyName());
			}
			else if (ref.getIndex() >= 0) {
				out.append('[').append(ref.getIndex()).append(']');
			}
		}
		return out.isEmpty() ? "body" : out.toString();
	}

	private ResponseEntity<Object> validationFailed(List<FieldError> errors, HttpHeaders headers) {
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation_failed",
				"The request is invalid: " + String.join(", ", errors.stream().map(FieldError::field).toList()) + ".");
		problem.setProperty("errors", errors);
		return ResponseEntity.badRequest().headers(headers).body(problem);
	}

	private ResponseEntity<Object> problem(HttpStatus status, String code, String detail, HttpHeaders headers) {
		return ResponseEntity.status(status).headers(headers).body(Problems.of(status, code, detail));
	}

}
