package dev.phork.identity;

import dev.phork.common.Ids;
import dev.phork.common.ProblemException;
import dev.phork.identity.Users.UserRow;
import dev.phork.identity.Workspaces.WorkspaceView;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class AuthService {

	/** Compared against when the email is unknown, so a miss costs as long as a wrong password. */
	private static final String DUMMY_HASH = new BCryptPasswordEncoder().encode("phork-timing-equaliser");

	private final Users users;

	private final Workspaces workspaces;

	private final Tokens tokens;

	private final ApplicationEventPublisher events;

	private final PasswordEncoder passwords = new BCryptPasswordEncoder();

	AuthService(Users users, Workspaces workspaces, Tokens tokens, ApplicationEventPublisher events) {
		this.users = users;
		this.workspaces = workspaces;
		this.tokens = tokens;
		this.events = events;
	}

	record UserView(UUID id, String email, @Nullable String name) {
	}

	record Registered(String token, UserView user, WorkspaceView workspace) {
	}

	record SignedIn(String token, UserView user) {
	}

	record Me(UUID id, String email, @Nullable String name, List<WorkspaceView> workspaces) {
	}

	/** One transaction: the user, the personal workspace, its owner membership and its credit account. */
	@Transactional
	Registered register(String rawEmail, String password, @Nullable String name) {
		String email = rawEmail.trim().toLowerCase(Locale.ROOT);
		UUID userId = Ids.newId();
		if (!users.insert(userId, email, name, passwords.encode(password))) {
			throw ProblemException.conflict("email_taken", "An account with this email already exists.");
		}
		UUID workspaceId = Ids.newId();
		String workspaceName = (name != null && !name.isBlank() ? name : email.substring(0, email.indexOf('@')))
				+ "'s workspace";
		workspaces.insert(workspaceId, truncate(workspaceName, 100), true, userId);
		workspaces.addMember(workspaceId, userId, Role.OWNER);
		events.publishEvent(new WorkspaceCreated(workspaceId, true));
		return new Registered(tokens.issue(userId), new UserView(userId, email, name),
				new WorkspaceView(workspaceId, truncate(workspaceName, 100), Role.OWNER));
	}

	SignedIn login(String rawEmail, String password) {
		String email = rawEmail.trim().toLowerCase(Locale.ROOT);
		UserRow user = users.byEmail(email).orElse(null);
		boolean matches = passwords.matches(password, user == null ? DUMMY_HASH : user.passwordHash());
		if (user == null || !matches) {
			throw new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_credentials", "Email or password is wrong.");
		}
		return new SignedIn(tokens.issue(user.id()), new UserView(user.id(), user.email(), user.name()));
	}

	Me me(Caller caller) {
		UserRow user = users.byId(caller.userId())
			.orElseThrow(() -> new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_token", "The account no longer exists."));
		return new Me(user.id(), user.email(), user.name(), workspaces.forUser(user.id()));
	}

	private static String truncate(String value, int max) {
		return value.length() <= max ? value : value.substring(0, max);
	}

}
