package dev.phork.identity;

import dev.phork.identity.ApiKeys.ApiKeyView;
import dev.phork.identity.ApiKeys.CreatedApiKey;
import dev.phork.identity.AuthService.Me;
import dev.phork.identity.AuthService.Registered;
import dev.phork.identity.AuthService.SignedIn;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import dev.phork.common.Page;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/auth")
class AuthController {

	static final String EMAIL = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

	private final AuthService auth;

	private final ApiKeys apiKeys;

	AuthController(AuthService auth, ApiKeys apiKeys) {
		this.auth = auth;
		this.apiKeys = apiKeys;
	}

	record RegisterRequest(@NotBlank @Size(max = 254) @Pattern(regexp = EMAIL, message = "must be an email address") String email,
			@NotNull @Size(min = 10, max = 200, message = "must be 10 to 200 characters") String password,
			@Size(max = 100) @Nullable String name) {
	}

	record LoginRequest(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = 200) String password) {
	}

	record ApiKeyRequest(@NotBlank @Size(max = 100) String name) {
	}

	@PostMapping("/register")
	@ResponseStatus(HttpStatus.CREATED)
	Registered register(@Valid @RequestBody RegisterRequest request) {
		return auth.register(request.email(), request.password(), request.name());
	}

	@PostMapping("/login")
	SignedIn login(@Valid @RequestBody LoginRequest request) {
		return auth.login(request.email(), request.password());
	}

	@GetMapping("/me")
	Me me(Caller caller) {
		return auth.me(caller);
	}

	@PostMapping("/api-keys")
	@ResponseStatus(HttpStatus.CREATED)
	CreatedApiKey createApiKey(Caller caller, @Valid @RequestBody ApiKeyRequest request) {
		return apiKeys.create(caller.userId(), request.name());
	}

	@GetMapping("/api-keys")
	Page<ApiKeyView> listApiKeys(Caller caller) {
		return new Page<>(apiKeys.list(caller.userId()), null);
	}

	@DeleteMapping("/api-keys/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeApiKey(Caller caller, @PathVariable UUID id) {
		apiKeys.revoke(caller.userId(), id);
	}

}
