package dev.phork.common;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The servlet container's error page ({@code sendError}, an exception outside Spring MVC, a method
 * such as {@code TRACE} that never reaches a controller) answered as an RFC 9457 problem with a
 * {@code code}, in place of Spring Boot's own error body. Written directly, whatever the request's
 * {@code Accept} says, since an error answer must not fail on content negotiation.
 */
@Hidden
@RestController
class ErrorEndpoint implements ErrorController {

	private final JsonMapper json;

	ErrorEndpoint(JsonMapper json) {
		this.json = json;
	}

	@RequestMapping("/error")
	void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
		// Asked for directly rather than forwarded to by the container: there is nothing here.
		int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code && code >= 400
				? code : HttpStatus.NOT_FOUND.value();
		HttpStatus known = HttpStatus.resolve(status);
		String detail = status >= 500 ? "An unexpected error occurred."
				: (known != null ? known.getReasonPhrase() : "Error " + status) + ".";
		ProblemDetail problem = Problems.of(HttpStatusCode.valueOf(status), Problems.codeFor(status), detail);
		if (response.isCommitted()) {
			return;
		}
		response.resetBuffer();
		response.setStatus(status);
		response.setContentType("application/problem+json");
		json.writeValue(response.getOutputStream(), problem);
	}

}
