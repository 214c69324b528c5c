package dev.phork.studio;

import dev.phork.identity.BrowserSessions;
import dev.phork.identity.ContentSecurityPolicy;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The studio's filter chain, ahead of the API's and limited to the studio's paths, so bearer
 * clients of the API never meet a cookie or a CSRF check. The session cookie holds a sign-in token
 * that the API's own decoder verifies (signature, expiry, revocation); the CSRF token is a second
 * cookie checked against the form field or htmx header (double submit, so nothing is kept on the
 * server and any process can serve any page).
 */
@ConditionalOnWebApplication
@Configuration(proxyBeanMethods = false)
class StudioSecurity {

	static final String[] PATHS = { "/", "/studio", "/studio/**", "/webjars/**" };

	static final String SIGN_IN = "/studio/signin";

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityFilterChain studioFilterChain(HttpSecurity http, BrowserSessions sessions, SessionCookie cookie)
			throws Exception {
		CookieCsrfTokenRepository csrf = new CookieCsrfTokenRepository();
		csrf.setCookieName("phork_csrf");
		csrf.setCookieCustomizer(c -> c.httpOnly(true).sameSite("Lax"));
		AuthenticationEntryPoint toSignIn = (request, response, ex) -> {
			boolean hadSession = cookie.read(request).isPresent();
			cookie.clear(request, response);
			String target = request.getContextPath() + SIGN_IN + (hadSession ? "?expired" : "");
			if (request.getHeader("HX-Request") != null) {
				response.setHeader("HX-Redirect", target);
				response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
			}
			else {
				response.sendRedirect(target);
			}
		};
		http.securityMatcher(PATHS)
			.csrf(c -> c.csrfTokenRepository(csrf))
			.addFilterAfter(new LoadCsrfToken(), CsrfFilter.class)
			// No session management: its strategies would see every request as a fresh sign-in (nothing
			// is kept between requests) and give the browser a new CSRF token each time, so a page's
			// forms would go stale as soon as it loaded its stylesheet.
			.sessionManagement(s -> s.disable())
			.securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
			.httpBasic(b -> b.disable())
			.formLogin(f -> f.disable())
			.logout(l -> l.disable())
			.requestCache(c -> c.disable())
			.headers(h -> h.addHeaderWriter(new ContentSecurityPolicy()))
			.authorizeHttpRequests(auth -> auth
				// An event stream ends in an async dispatch of a request that was authorized when it began.
				.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
				.permitAll()
				.requestMatchers("/", SIGN_IN, "/studio/register", "/studio/css/**", "/studio/js/**", "/webjars/**")
				.permitAll()
				.anyRequest()
				.authenticated())
			.addFilterBefore(new SessionAuthentication(sessions, cookie, toSignIn), AnonymousAuthenticationFilter.class)
			.exceptionHandling(e -> e.authenticationEntryPoint(toSignIn).accessDeniedHandler((request, response, ex) -> {
				response.setStatus(HttpServletResponse.SC_FORBIDDEN);
				response.setContentType("text/html;charset=UTF-8");
				response.getOutputStream()
					.write(("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Refused</title>"
							+ "<link rel=\"stylesheet\" href=\"/studio/css/studio.css\"></head><body><main class=\"narrow\">"
							+ "<h1>Refused</h1><p class=\"error\" role=\"alert\">This form did not carry the page's security token, "
							+ "so it was not sent. Go back, reload the page and try again.</p>"
							+ "<p><a href=\"/studio\">Back to the studio</a></p></main></body></html>")
						.getBytes(StandardCharsets.UTF_8));
			}));
		return http.build();
	}

	/**
	 * Signs the request in with the token of the session cookie, verified as the API verifies
	 * bearer tokens. Not the resource server's bearer filter: requests it authenticates are exempt
	 * from CSRF checks, right for a header a page cannot make the browser send, wrong for a cookie.
	 */
	private static final class SessionAuthentication extends OncePerRequestFilter {

		private final BrowserSessions sessions;

		private final SessionCookie cookie;

		private final AuthenticationEntryPoint toSignIn;

		SessionAuthentication(BrowserSessions sessions, SessionCookie cookie, AuthenticationEntryPoint toSignIn) {
			this.sessions = sessions;
			this.cookie = cookie;
			this.toSignIn = toSignIn;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Optional<String> token = cookie.read(request);
			if (token.isPresent()) {
				try {
					Authentication authentication = sessions.authentication()
						.authenticate(new BearerTokenAuthenticationToken(token.get()));
					SecurityContext context = SecurityContextHolder.createEmptyContext();
					context.setAuthentication(authentication);
					SecurityContextHolder.setContext(context);
				}
				catch (AuthenticationException ended) {
					toSignIn.commence(request, response, ended);
					return;
				}
			}
			try {
				chain.doFilter(request, response);
			}
			finally {
				SecurityContextHolder.clearContext();
			}
		}

	}

	/**
	 * Makes the CSRF cookie before the page renders: a deferred token would be made while the page
	 * is written, when a long page may already have committed its headers.
	 */
	private static final class LoadCsrfToken extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
				token.getToken();
			}
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
			chain.doFilter(request, response);
		}

	}

}
