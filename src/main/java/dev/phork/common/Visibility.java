package dev.phork.common;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Who may see a project: members only ({@code private}), anyone with its id ({@code unlisted}), or
 * anyone, listed in fork trees ({@code public}).
 */
public enum Visibility {

	PRIVATE, UNLISTED, PUBLIC;

	@JsonValue
	public String json() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Reads the stored form; JSON input is mapped by Jackson through {@link #json()}. */
	public static Visibility parse(String value) {
		return switch (value) {
			case "private" -> PRIVATE;
			case "unlisted" -> UNLISTED;
			case "public" -> PUBLIC;
			default -> throw new IllegalArgumentException("visibility must be private, unlisted or public");
		};
	}

}
