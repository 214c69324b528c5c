package dev.phork.identity;

import dev.phork.common.Ids;
import dev.phork.common.ProblemException;
import dev.phork.identity.Users.UserRow;
import dev.phork.identity.Workspaces.WorkspaceView;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

@Service
class AuthService {

	private final Users users;

	private final Workspaces workspaces;

	private final Tokens tokens;

	private final Passwords passwords;

	private final CommonPasswords commonPasswords;

	private final AuthThrottle throttle;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	/** Compared against when the email is unknown, so a miss costs as long as a wrong password. */
	private final String dummyHash;

	AuthService(Users users, Workspaces workspaces, Tokens tokens, Passwords passwords, CommonPasswords commonPasswords,
			AuthThrottle throttle, ApplicationEventPublisher events, TransactionTemplate transaction) {
		this.users = users;
		this.workspaces = workspaces;
		this.tokens = tokens;
		this.passwords = passwords;
		this.commonPasswords = commonPasswords;
		this.throttle = throttle;
		this.events = events;
		this.transaction = transaction;
		this.dummyHash = passwords.hash("phork-timing-equaliser");
	}

	record UserView(UUID id, String email, @Nullable String name) {
	}

	record Registered(String token, UserView user, WorkspaceView workspace) {
	}

	/** A new sign-in token, with what {@code /auth/me} tells, so a script need not ask twice. */
	record SignedIn(String token, UserView user, List<WorkspaceView> workspaces) {
	}

	record Me(UUID id, String email, @Nullable String name, List<WorkspaceView> workspaces) {
	}

	/** One transaction: the user, the personal workspace, its owner membership and its credit account. */
	@Transactional
	Registered register(String rawEmail, String password, @Nullable String name) {
		String email = Users.normaliseEmail(rawEmail);
		refuseCommon(password);
		UUID userId = Ids.newId();
		if (!users.insert(userId, email, name, passwords.hash(password))) {
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

	/**
	 * Not one transaction: the attempt stays counted although the sign-in is refused. A hash of an
	 * older scheme is rewritten once the password proved right.
	 */
	SignedIn login(String rawEmail, String password, String clientAddress) {
		String email = Users.normaliseEmail(rawEmail);
		throttle.beginSignIn(email, clientAddress);
		UserRow user = users.byEmail(email).orElse(null);
		boolean matches = passwords.matches(password, user == null ? dummyHash : user.passwordHash());
		if (user == null || !matches) {
			throw new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_credentials", "Email or password is wrong.");
		}
		throttle.signInSucceeded(email, clientAddress);
		if (passwords.outdated(user.passwordHash())) {
			users.updatePasswordHash(user.id(), passwords.hash(password));
		}
		return new SignedIn(tokens.issue(user.id()), new UserView(user.id(), user.email(), user.name()),
				workspaces.forUser(user.id()));
	}

	/**
	 * Checks the current password like a sign-in (throttled and counted against the account),
	 * then in one transaction sets the new one, revokes every sign-in token of the user and issues
	 * the one answered.
	 */
	SignedIn changePassword(Caller caller, String currentPassword, String newPassword, String clientAddress) {
		UserRow user = users.signedIn(caller.userId());
		throttle.beginSignIn(user.email(), clientAddress);
		if (!passwords.matches(currentPassword, user.passwordHash())) {
			throw new ProblemException(HttpStatus.FORBIDDEN, "wrong_password", "The current password is wrong.");
		}
		throttle.signInSucceeded(user.email(), clientAddress);
		refuseCommon(newPassword);
		String token = Objects.requireNonNull(transaction.execute(status -> {
			users.updatePasswordHash(user.id(), passwords.hash(newPassword));
			tokens.revokeAll(user.id());
			return tokens.issue(user.id());
		}));
		return new SignedIn(token, new UserView(user.id(), user.email(), user.name()), workspaces.forUser(user.id()));
	}

	void logout(UUID tokenId) {
		tokens.revoke(tokenId);
	}

	Me me(Caller caller) {
		UserRow user = users.signedIn(caller.userId());
		return new Me(user.id(), user.email(), user.name(), workspaces.forUser(user.id()));
	}

	private void refuseCommon(String password) {
		if (commonPasswords.isCommon(password)) {
			throw ProblemException.badRequest("password_too_common",
					"This password is one of the most common ones, which are tried first; choose another.");
		}
	}

	private static String truncate(String value, int max) {
		return value.length() <= max ? value : value.substring(0, max);
	}

}
