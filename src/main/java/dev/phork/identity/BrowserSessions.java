package dev.phork.identity;

import dev.phork.common.FieldError;
import dev.phork.common.ProblemException;
import dev.phork.identity.AuthController.LoginRequest;
import dev.phork.identity.AuthController.RegisterRequest;
import dev.phork.identity.WorkspaceController.CreateWorkspaceRequest;
import dev.phork.identity.WorkspaceController.InviteRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.stereotype.Service;

/**
 * What a browser front end (the studio) needs of identity: the same sign-up, sign-in, sign-out,
 * workspace and invitation rules as the JSON API, with the API's own request records validated
 * the same way, and the authentication of a sign-in token carried in a cookie instead of a header.
 * The token in the cookie is an ordinary sign-in token, so sessions are as stateless as the API's
 * and signing out revokes it on every process.
 */
@Service
public class BrowserSessions {

	public record Account(UUID userId, String email, @Nullable String name) {
	}

	public record Membership(UUID workspaceId, String name, Role role) {
	}

	/** Who a workspace is: its name and its creator's display name (null when they gave none). */
	public record Attribution(UUID workspaceId, String workspaceName, @Nullable String creatorName) {
	}

	public record Member(UUID userId, String email, @Nullable String name, Role role) {
	}

	private final AuthService auth;

	private final AuthThrottle throttle;

	private final Tokens tokens;

	private final WorkspaceService workspaces;

	private final InvitationService invitations;

	private final IdentitySettings settings;

	private final Validator validator;

	private final Workspaces workspaceRows;

	private final AuthenticationManager authentication;

	BrowserSessions(AuthService auth, AuthThrottle throttle, Tokens tokens, WorkspaceService workspaces,
			InvitationService invitations, IdentitySettings settings, Validator validator, Workspaces workspaceRows) {
		this.workspaceRows = workspaceRows;
		this.auth = auth;
		this.throttle = throttle;
		this.tokens = tokens;
		this.workspaces = workspaces;
		this.invitations = invitations;
		this.settings = settings;
		this.validator = validator;
		this.authentication = new ProviderManager(List.of(new JwtAuthenticationProvider(tokens.decoder())));
	}

	/** Authenticates a sign-in token exactly as the API's bearer path does (signature, expiry, revocation). */
	public AuthenticationManager authentication() {
		return authentication;
	}

	/** How long a sign-in token lives, so the cookie holding it lives no longer. */
	public Duration lifetime() {
		return settings.tokenTtl();
	}

	/** Registers like {@code POST /auth/register} (counted per address first) and answers the sign-in token. */
	public String register(String email, String password, @Nullable String name, String clientAddress) {
		throttle.countRegistration(clientAddress);
		String trimmedName = name == null || name.isBlank() ? null : name.strip();
		validate(new RegisterRequest(email.strip(), password, trimmedName));
		return auth.register(email.strip(), password, trimmedName).token();
	}

	/** Signs in like {@code POST /auth/login}, throttled the same way, and answers the sign-in token. */
	public String signIn(String email, String password, String clientAddress) {
		validate(new LoginRequest(email.strip(), password));
		return auth.login(email.strip(), password, clientAddress).token();
	}

	/** Revokes the token; one that is already invalid has nothing left to revoke. */
	public void signOut(String token) {
		try {
			Tokens.idOf(tokens.decoder().decode(token)).ifPresent(auth::logout);
		}
		catch (JwtException alreadyInvalid) {
			// Expired, revoked or forged: nothing signs in with it any more.
		}
	}

	public Account account(Caller caller) {
		AuthService.Me me = auth.me(caller);
		return new Account(me.id(), me.email(), me.name());
	}

	public List<Membership> workspaces(Caller caller) {
		return workspaces.list(caller).stream().map(w -> new Membership(w.id(), w.name(), w.role())).toList();
	}

	/** The caller's membership of a workspace; 404 for anyone else, as {@code GET /workspaces/{id}}. */
	public Membership workspace(Caller caller, UUID workspaceId) {
		Workspaces.WorkspaceView w = workspaces.get(caller, workspaceId);
		return new Membership(w.id(), w.name(), w.role());
	}

	public Membership createWorkspace(Caller caller, String name) {
		validate(new CreateWorkspaceRequest(name));
		Workspaces.WorkspaceView w = workspaces.create(caller, name.strip());
		return new Membership(w.id(), w.name(), w.role());
	}

	public List<Member> members(Caller caller, UUID workspaceId) {
		return workspaces.members(caller, workspaceId)
			.stream()
			.map(m -> new Member(m.userId(), m.email(), m.name(), m.role()))
			.toList();
	}

	/** Invites like {@code POST /workspaces/{id}/invitations} (owners only). */
	public void invite(Caller caller, UUID workspaceId, String email, String role) {
		validate(new InviteRequest(email.strip(), role));
		invitations.invite(caller, workspaceId, email.strip(), Role.parse(role));
	}

	/**
	 * Names to attribute projects and commits to (fork trees, histories): only display names and
	 * workspace names, never emails, as they are shown to anyone who may see the project.
	 */
	public Map<UUID, Attribution> attributions(Collection<UUID> workspaceIds) {
		return workspaceIds.isEmpty() ? Map.of() : workspaceRows.attributions(workspaceIds);
	}

	public Map<UUID, String> userNames(Collection<UUID> userIds) {
		return userIds.isEmpty() ? Map.of() : workspaceRows.userNames(userIds);
	}

	private <T> void validate(T request) {
		Set<ConstraintViolation<T>> violations = validator.validate(request);
		if (violations.isEmpty()) {
			return;
		}
		List<FieldError> errors = violations.stream()
			.map(v -> new FieldError(v.getPropertyPath().toString(), v.getMessage()))
			.sorted(Comparator.comparing(FieldError::field))
			.toList();
		FieldError first = errors.get(0);
		throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed",
				first.field() + " " + first.message() + ".", Map.of("errors", errors));
	}

}
