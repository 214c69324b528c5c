package dev.phork.common;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every request parameter of the API has one value, so a parameter given twice
 * ({@code limit=5&limit=abc}) is a 400 rather than Spring quietly taking the first value. Reading the
 * parameters here, before any handler, also makes a query string that does not parse (a parameter
 * without a name, bad percent-encoding) a 400 at one place (see {@link ProblemHandler}). HTML forms
 * of the studio may repeat a field on purpose (a list of scene ids in order), so the one-value rule
 * holds for the API's REST controllers only.
 */
@Component
class SingleParameters implements WebMvcConfigurer, HandlerInterceptor {

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this);
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (isMultipart(request) && !readsParts(handler)) {
			// Reading the parameters would parse a multipart body no one asked for; the endpoint
			// refuses it (415) or ignores it.
			return true;
		}
		Map<String, String[]> parameters = request.getParameterMap();
		if (!isApi(handler)) {
			return true;
		}
		for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
			if (parameter.getValue().length > 1) {
				throw ProblemException.invalidFields("repeated_parameter", "Parameter '" + parameter.getKey() + "' is given "
						+ parameter.getValue().length + " times; give it once.",
						List.of(new FieldError(parameter.getKey(), "is given more than once")));
			}
		}
		return true;
	}

	private static boolean isMultipart(HttpServletRequest request) {
		String type = request.getContentType();
		return type != null && type.regionMatches(true, 0, "multipart/", 0, "multipart/".length());
	}

	private static boolean isApi(Object handler) {
		return handler instanceof HandlerMethod method
				&& AnnotatedElementUtils.hasAnnotation(method.getBeanType(), RestController.class);
	}

	private static boolean readsParts(Object handler) {
		return handler instanceof HandlerMethod method && Arrays.stream(method.getMethodParameters())
			.anyMatch(parameter -> parameter.hasParameterAnnotation(RequestPart.class));
	}

}
