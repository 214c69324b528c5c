package dev.phork.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Opaque paging cursors, and the page request they come back in. */
public final class Cursor {

	public static final int DEFAULT_LIMIT = 50;

	public static final int MAX_LIMIT = 200;

	private Cursor() {
	}

	public static String encode(UUID lastId) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(lastId.toString().getBytes(StandardCharsets.US_ASCII));
	}

	public static @Nullable UUID decode(@Nullable String cursor) {
		if (cursor == null || cursor.isBlank()) {
			return null;
		}
		try {
			return UUID.fromString(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
		}
		catch (IllegalArgumentException ex) {
			throw ProblemException.badRequest("invalid_cursor", "The cursor is not one this server issued.");
		}
	}

	public static int limit(@Nullable Integer limit) {
		if (limit == null) {
			return DEFAULT_LIMIT;
		}
		if (limit < 1 || limit > MAX_LIMIT) {
			throw ProblemException.badRequest("invalid_limit", "limit must be between 1 and " + MAX_LIMIT + ".");
		}
		return limit;
	}

}
