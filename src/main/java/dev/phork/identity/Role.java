package dev.phork.identity;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.phork.common.ProblemException;
import java.util.Locale;

/** A member's role in a workspace. Viewers read, editors also write, owners also manage members. */
public enum Role {

	VIEWER, EDITOR, OWNER;

	public boolean atLeast(Role other) {
		return compareTo(other) >= 0;
	}

	@JsonValue
	public String json() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static Role parse(String value) {
		return switch (value) {
			case "owner" -> OWNER;
			case "editor" -> EDITOR;
			case "viewer" -> VIEWER;
			default -> throw ProblemException.badRequest("invalid_role", "role must be owner, editor or viewer.");
		};
	}

}
