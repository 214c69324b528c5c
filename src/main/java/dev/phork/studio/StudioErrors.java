package dev.phork.studio;

import dev.phork.common.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Errors of studio pages as pages: the problem's detail in words, its status kept (a stranger's
 * private project is a 404 page, as it is a 404 problem in the API). Ahead of the API's problem
 * handler, for the studio's controllers only.
 */
@ControllerAdvice(basePackageClasses = StudioErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class StudioErrors {

	@ExceptionHandler(ProblemException.class)
	String problem(ProblemException ex, HttpServletResponse response, Model model) {
		return page(response, model, ex.status().value(), ex.status().value() == 404 ? "Not found" : "Not possible",
				ex.getMessage());
	}

	@ExceptionHandler({ MethodArgumentTypeMismatchException.class, MethodArgumentNotValidException.class })
	String badInput(Exception ex, HttpServletResponse response, Model model) {
		return page(response, model, 404, "Not found", "There is nothing at this address.");
	}

	private static String page(HttpServletResponse response, Model model, int status, String title, String detail) {
		response.setStatus(status);
		model.addAttribute("status", status);
		model.addAttribute("title", title);
		model.addAttribute("detail", detail);
		return "studio/error";
	}

}
