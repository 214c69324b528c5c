package dev.phork.identity;

import dev.phork.common.ApiAnswers;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import dev.phork.common.Page;
import dev.phork.common.ProblemException;
import dev.phork.identity.ApiKeys.ApiKeyView;
import dev.phork.identity.ApiKeys.CreatedApiKey;
import dev.phork.identity.AuthService.Me;
import dev.phork.identity.AuthService.Registered;
import dev.phork.identity.AuthService.SignedIn;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "auth")
@RestController
@RequestMapping("/auth")
class AuthController {

	static final String EMAIL = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

	/**
	 * Long passphrases are welcome (they are pre-hashed, see {@link Passwords}); the cap only keeps
	 * a request from making the server hash megabytes.
	 */
	static final int MAX_PASSWORD = 1024;

	private static final String NEW_PASSWORD = "must be 10 to " + MAX_PASSWORD + " characters";

	private final AuthService auth;

	private final ApiKeys apiKeys;

	private final AuthThrottle throttle;

	AuthController(AuthService auth, ApiKeys apiKeys, AuthThrottle throttle) {
		this.auth = auth;
		this.apiKeys = apiKeys;
		this.throttle = throttle;
	}

	record RegisterRequest(@NotBlank @Size(max = 254) @Pattern(regexp = EMAIL, message = "must be an email address") String email,
			@NotNull @Size(min = 10, max = MAX_PASSWORD, message = NEW_PASSWORD) String password,
			@Size(max = 100) @Nullable String name) {
	}

	record LoginRequest(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = MAX_PASSWORD) String password) {
	}

	record PasswordChangeRequest(@NotNull @Size(max = MAX_PASSWORD) String currentPassword,
			@NotNull @Size(min = 10, max = MAX_PASSWORD, message = NEW_PASSWORD) String newPassword) {
	}

	record ApiKeyRequest(@NotBlank @Size(max = 100) String name, @Nullable Instant expiresAt) {
	}

	/** Counted per client address before anything else, refused ones and taken emails included. */
	@Operation(operationId = "registerUser", summary = "Create an account with its personal workspace and a sign-in token")
	@ApiAnswers(problems = { "password_too_common", "email_taken", "too_many_registrations" })
	@PostMapping("/register")
	@ResponseStatus(HttpStatus.CREATED)
	Registered register(@Valid @RequestBody RegisterRequest request, HttpServletRequest http) {
		throttle.countRegistration(http.getRemoteAddr());
		return auth.register(request.email(), request.password(), request.name());
	}

	@Operation(operationId = "login", summary = "Sign in with email and password: a token, the user and their workspaces")
	@ApiAnswers(problems = { "invalid_credentials", "too_many_attempts" })
	@PostMapping("/login")
	SignedIn login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
		return auth.login(request.email(), request.password(), http.getRemoteAddr());
	}

	/** Revokes the sign-in token this request presents. */
	@Operation(operationId = "logout", summary = "Revoke the sign-in token of this request")
	@ApiAnswers(problems = { "sign_in_token_required" })
	@PostMapping("/logout")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void logout() {
		auth.logout(Tokens.idOf(signInToken()).orElseThrow());
	}

	/** Sets a new password, revokes every sign-in token of the account and answers a new one. */
	@Operation(operationId = "changePassword", summary = "Set a new password; revokes every sign-in token and answers a new one")
	@ApiAnswers(problems = { "password_too_common", "wrong_password", "sign_in_token_required", "too_many_attempts" })
	@PostMapping("/password")
	SignedIn changePassword(Caller caller, @Valid @RequestBody PasswordChangeRequest request, HttpServletRequest http) {
		signInToken();
		return auth.changePassword(caller, request.currentPassword(), request.newPassword(), http.getRemoteAddr());
	}

	@Operation(operationId = "getMe", summary = "The signed-in user and their workspaces")
	@GetMapping("/me")
	Me me(Caller caller) {
		return auth.me(caller);
	}

	/** Needs a sign-in token: a leaked API key must not be able to mint more keys that outlive it. */
	@Operation(operationId = "createApiKey", summary = "Create an API key for scripts (shown once)")
	@ApiAnswers(problems = { "expiry_in_past", "sign_in_token_required" })
	@PostMapping("/api-keys")
	@ResponseStatus(HttpStatus.CREATED)
	CreatedApiKey createApiKey(Caller caller, @Valid @RequestBody ApiKeyRequest request) {
		signInToken();
		return apiKeys.create(caller.userId(), request.name(), request.expiresAt());
	}

	@Operation(operationId = "listApiKeys", summary = "Your API keys, without their secrets")
	@GetMapping("/api-keys")
	Page<ApiKeyView> listApiKeys(Caller caller) {
		return new Page<>(apiKeys.list(caller.userId()), null);
	}

	@Operation(operationId = "revokeApiKey", summary = "Revoke one of your API keys")
	@ApiAnswers(problems = { "api_key_not_found" })
	@DeleteMapping("/api-keys/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeApiKey(Caller caller, @PathVariable UUID id) {
		apiKeys.revoke(caller.userId(), id);
	}

	/** The sign-in token (JWT) the request authenticated with; refuses requests made with an API key. */
	private static Jwt signInToken() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof JwtAuthenticationToken jwt) {
			return jwt.getToken();
		}
		throw new ProblemException(HttpStatus.FORBIDDEN, "sign_in_token_required",
				"This needs a sign-in token from /auth/login; an API key may not do it.");
	}

}
