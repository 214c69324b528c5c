package dev.phork.studio;

import dev.phork.common.ProblemException;
import dev.phork.identity.BrowserSessions;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Sign-up, sign-in and sign-out, and the front door: the studio for a signed-in browser, sign-in otherwise. */
@Hidden
@Controller
class AccountPages {

	private final BrowserSessions sessions;

	private final SessionCookie cookie;

	AccountPages(BrowserSessions sessions, SessionCookie cookie) {
		this.sessions = sessions;
		this.cookie = cookie;
	}

	@GetMapping("/")
	String front() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		boolean signedIn = authentication != null && authentication.isAuthenticated()
				&& !"anonymousUser".equals(authentication.getPrincipal());
		return signedIn ? "redirect:/studio" : "redirect:" + StudioSecurity.SIGN_IN;
	}

	@GetMapping(StudioSecurity.SIGN_IN)
	String signInPage(@RequestParam(required = false) @Nullable String expired, Model model) {
		if (expired != null) {
			model.addAttribute("notice", "Your session has ended. Sign in again.");
		}
		return "studio/signin";
	}

	@PostMapping(StudioSecurity.SIGN_IN)
	String signIn(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String password,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		try {
			cookie.write(request, response, sessions.signIn(email, password, request.getRemoteAddr()));
			return "redirect:/studio";
		}
		catch (ProblemException ex) {
			response.setStatus(ex.status().value());
			model.addAttribute("error", ex.getMessage());
			model.addAttribute("email", email);
			return "studio/signin";
		}
	}

	@GetMapping("/studio/register")
	String registerPage() {
		return "studio/register";
	}

	@PostMapping("/studio/register")
	String register(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String password,
			@RequestParam(required = false) @Nullable String name, HttpServletRequest request, HttpServletResponse response,
			Model model) {
		try {
			cookie.write(request, response, sessions.register(email, password, name, request.getRemoteAddr()));
			return "redirect:/studio";
		}
		catch (ProblemException ex) {
			response.setStatus(ex.status().value());
			model.addAttribute("error", ex.getMessage());
			model.addAttribute("email", email);
			model.addAttribute("name", name);
			return "studio/register";
		}
	}

	@PostMapping("/studio/signout")
	String signOut(HttpServletRequest request, HttpServletResponse response) {
		cookie.read(request).ifPresent(sessions::signOut);
		cookie.clear(request, response);
		return "redirect:" + StudioSecurity.SIGN_IN;
	}

}
