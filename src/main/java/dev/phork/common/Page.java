package dev.phork.common;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list: {@code {"items": [...], "nextCursor": ...}}. The cursor is opaque to clients;
 * it names the last item returned, and lists are ordered by their time-ordered ids.
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {

	/**
	 * Builds a page from a query that fetched up to {@code limit + 1} rows: the extra row only tells
	 * that another page exists.
	 */
	public static <T> Page<T> of(List<T> fetched, int limit, Function<T, UUID> idOf) {
		if (fetched.size() <= limit) {
			return new Page<>(fetched, null);
		}
		List<T> items = List.copyOf(fetched.subList(0, limit));
		return new Page<>(items, Cursor.encode(idOf.apply(items.getLast())));
	}

}
