package dev.phork.studio;

import dev.phork.identity.BrowserSessions;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * The browser's session: a sign-in token in an HttpOnly, SameSite=Lax cookie (Secure when the page
 * came over HTTPS) that lives no longer than the token.
 */
@Component
class SessionCookie {

	static final String NAME = "phork_session";

	private final BrowserSessions sessions;

	SessionCookie(BrowserSessions sessions) {
		this.sessions = sessions;
	}

	Optional<String> read(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return Optional.empty();
		}
		return Arrays.stream(cookies)
			.filter(c -> c.getName().equals(NAME) && !c.getValue().isBlank())
			.map(Cookie::getValue)
			.findFirst();
	}

	void write(HttpServletRequest request, HttpServletResponse response, String token) {
		response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, token, sessions.lifetime()).toString());
	}

	void clear(HttpServletRequest request, HttpServletResponse response) {
		response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, "", Duration.ZERO).toString());
	}

	private static ResponseCookie cookie(HttpServletRequest request, String value, Duration maxAge) {
		return ResponseCookie.from(NAME, value)
			.path("/")
			.httpOnly(true)
			.secure(request.isSecure())
			.sameSite("Lax")
			.maxAge(maxAge)
			.build();
	}

}
