package dev.phork.identity;

import dev.phork.common.Problems;
import dev.phork.common.StartupFailure;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stateless bearer authentication: a token that starts with {@code phk_} is an API key, anything
 * else must be one of our JWTs. Failures answer as RFC 9457 problems like every other error.
 * Actuator lives on the management port only (see {@code management.server.*}); the server refuses
 * to start if it would share the API port, where a reverse proxy would make metrics public.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

	static final String[] PUBLIC_PATHS = { "/health", "/auth/register", "/auth/login", "/v3/api-docs", "/v3/api-docs/**",
			"/swagger-ui.html", "/swagger-ui/**", "/error",
			// Content URLs carry their own authorization: an HMAC over asset, workspace and expiry.
			"/assets/*/content" };

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, Tokens tokens, ApiKeys apiKeys, JsonMapper json,
			Environment environment) throws Exception {
		ProviderManager bearer = new ProviderManager(
				List.of(new ApiKeyProvider(apiKeys), new JwtAuthenticationProvider(tokens.decoder())));
		if (ManagementPortType.get(environment) == ManagementPortType.SAME) {
			throw new StartupFailure("management endpoints (metrics of every tenant) would be served on the API port; "
					+ "give them a port of their own with PHORK_MANAGEMENT_PORT (or -1 to turn them off).");
		}
		http.csrf(csrf -> csrf.disable())
			.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic(b -> b.disable())
			.formLogin(f -> f.disable())
			.logout(l -> l.disable())
			.requestCache(c -> c.disable())
			.headers(h -> h.addHeaderWriter(new ContentSecurityPolicy()))
			.authorizeHttpRequests(auth -> auth.requestMatchers(PUBLIC_PATHS).permitAll()
				// Liveness and readiness (/livez, /readyz) on the API port, for orchestrators' probes.
				.requestMatchers(EndpointRequest.toAdditionalPaths(WebServerNamespace.SERVER, "health"))
				.permitAll()
				// Matches only on the management server, which listens on its own port, on loopback by
				// default (PHORK_MANAGEMENT_ADDRESS): where it listens is what guards it, not who asks.
				.requestMatchers(EndpointRequest.toAnyEndpoint())
				.permitAll()
				// Nothing of Actuator is served on the API port: a plain 404 for everyone.
				.requestMatchers("/actuator", "/actuator/**")
				.permitAll()
				.anyRequest()
				.authenticated())
			.oauth2ResourceServer(rs -> rs.authenticationManagerResolver(request -> bearer)
				.authenticationEntryPoint((request, response, ex) -> write(json, response, HttpStatus.UNAUTHORIZED,
						ex instanceof InvalidBearerTokenException || request.getHeader("Authorization") != null
								? "invalid_token" : "unauthorized",
						ex instanceof InvalidBearerTokenException ? "The bearer token is invalid or expired."
								: "Sign in: send Authorization: Bearer <token or API key>.")))
			.exceptionHandling(e -> e
				.authenticationEntryPoint((request, response, ex) -> write(json, response, HttpStatus.UNAUTHORIZED,
						"unauthorized", "Sign in: send Authorization: Bearer <token or API key>."))
				.accessDeniedHandler((request, response, ex) -> write(json, response, HttpStatus.FORBIDDEN, "forbidden",
						"You may not do this.")));
		return http.build();
	}

	/**
	 * Requests the firewall refuses (an encoded line break, {@code ;}, {@code //} or {@code %2e%2e} in
	 * the path, a method it does not know): a problem like any other 400, not Spring's default body.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler(JsonMapper json) {
		return (request, response, ex) -> write(json, response, HttpStatus.BAD_REQUEST, "rejected_request",
				"The request was refused: its URL holds an encoded line break, ';', '//', an encoded '.' or "
						+ "'/', or its method or a header is not allowed.");
	}

	private static void write(JsonMapper json, HttpServletResponse response, HttpStatus status, String code,
			String detail) throws IOException {
		ProblemDetail problem = Problems.of(status, code, detail);
		response.setStatus(status.value());
		response.setContentType("application/problem+json");
		if (status == HttpStatus.UNAUTHORIZED) {
			response.setHeader("WWW-Authenticate", "Bearer realm=\"phork\"");
		}
		json.writeValue(response.getOutputStream(), problem);
	}

	/** Authenticates {@code phk_} bearer tokens as API keys; leaves every other token to the JWT provider. */
	private record ApiKeyProvider(ApiKeys apiKeys) implements AuthenticationProvider {

		@Override
		public Authentication authenticate(Authentication authentication) throws AuthenticationException {
			String token = ((BearerTokenAuthenticationToken) authentication).getToken();
			if (!token.startsWith(ApiKeys.PREFIX)) {
				return null;
			}
			return apiKeys.authenticate(token)
				.map(ApiKeyAuthentication::new)
				.orElseThrow(() -> new InvalidBearerTokenException("unknown or revoked API key"));
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
		}

	}

	private static final class ApiKeyAuthentication extends AbstractAuthenticationToken {

		private final java.util.UUID userId;

		ApiKeyAuthentication(java.util.UUID userId) {
			super(List.of());
			this.userId = userId;
			setAuthenticated(true);
		}

		@Override
		public Object getCredentials() {
			return "";
		}

		@Override
		public Object getPrincipal() {
			return userId.toString();
		}

	}

}
