package dev.phork.common;

import dev.phork.common.database.CommitOutcomeUnknown;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
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
import tools.jackson.core.JacksonException;
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

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof RequestSizeLimit.BodyTooLarge tooLarge) {
				return problem(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", tooLarge.getMessage(), headers);
			}
		}
		Throwable cause = ex.getMostSpecificCause();
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
		return switch (status.value()) {
			case 400 -> ex instanceof MethodArgumentTypeMismatchException ? "invalid_parameter" : "bad_request";
			case 404 -> "not_found";
			case 405 -> "method_not_allowed";
			case 406 -> "not_acceptable";
			case 413 -> "payload_too_large";
			case 415 -> "unsupported_media_type";
			default -> status.is5xxServerError() ? "internal_error" : "http_" + status.value();
		};
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
