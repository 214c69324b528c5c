package dev.phork.identity;

import dev.phork.common.ProblemException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Users {

	record UserRow(UUID id, String email, @Nullable String name, String passwordHash) {
	}

	private final JdbcClient jdbc;

	Users(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Inserts the user unless the email is taken; answers whether it did. */
	boolean insert(UUID id, String email, @Nullable String name, String passwordHash) {
		return jdbc.sql("""
				INSERT INTO users (id, email, name, password_hash)
				VALUES (:id, :email, :name, :hash)
				ON CONFLICT (email) DO NOTHING""")
			.param("id", id)
			.param("email", email)
			.param("name", name)
			.param("hash", passwordHash)
			.update() == 1;
	}

	void updatePasswordHash(UUID id, String passwordHash) {
		jdbc.sql("UPDATE users SET password_hash = :hash WHERE id = :id")
			.param("id", id)
			.param("hash", passwordHash)
			.update();
	}

	Optional<UserRow> byEmail(String email) {
		return jdbc.sql("SELECT id, email, name, password_hash FROM users WHERE email = :email")
			.param("email", email)
			.query((rs, n) -> new UserRow(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("name"),
					rs.getString("password_hash")))
			.optional();
	}

	Optional<UserRow> byId(UUID id) {
		return jdbc.sql("SELECT id, email, name, password_hash FROM users WHERE id = :id")
			.param("id", id)
			.query((rs, n) -> new UserRow(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("name"),
					rs.getString("password_hash")))
			.optional();
	}

	/** The signed-in caller's account; a token that outlived its account is refused as invalid. */
	UserRow signedIn(UUID id) {
		return byId(id).orElseThrow(
				() -> new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_token", "The account no longer exists."));
	}

	/** Emails are compared trimmed and in lower case, everywhere. */
	static String normaliseEmail(String email) {
		return email.trim().toLowerCase(Locale.ROOT);
	}

}
