package dev.phork.assets;

import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpRange;

/**
 * What a {@code Range} header asks of a file (RFC 9110, section 14). A header that is not a valid
 * {@code bytes} range set ({@code bytes=zz}, a first position after the last) is ignored and the
 * whole file is served; a valid one that no byte of the file satisfies, or whose numbers do not fit a
 * file position (20 digits), is unsatisfiable (416). Parsing is Spring's {@link HttpRange}.
 */
record ByteRanges(List<HttpRange> ranges, boolean satisfiable) {

	private static final Pattern RANGE_SET = Pattern.compile("bytes=\\s*(\\d*-\\d*)(\\s*,\\s*\\d*-\\d*)*\\s*");

	private static final Pattern SPEC = Pattern.compile("(\\d*)-(\\d*)");

	static final ByteRanges WHOLE = new ByteRanges(List.of(), true);

	private static final ByteRanges UNSATISFIABLE = new ByteRanges(List.of(), false);

	boolean whole() {
		return satisfiable && ranges.isEmpty();
	}

	static ByteRanges of(@Nullable String header, long size) {
		if (header == null || !RANGE_SET.matcher(header).matches() || !wellFormed(header)) {
			return WHOLE;
		}
		List<HttpRange> ranges;
		try {
			ranges = HttpRange.parseRanges(header);
		}
		catch (IllegalArgumentException ex) {
			// Well formed, so only a number too large for a position, or too many ranges.
			return UNSATISFIABLE;
		}
		List<HttpRange> satisfiable = ranges.stream().filter(range -> satisfiable(range, size)).toList();
		return satisfiable.isEmpty() ? UNSATISFIABLE : new ByteRanges(satisfiable, true);
	}

	/** Each spec names a first position, a suffix length, or both with the first not after the last. */
	private static boolean wellFormed(String header) {
		for (String spec : header.substring(header.indexOf('=') + 1).split(",")) {
			java.util.regex.Matcher m = SPEC.matcher(spec.strip());
			if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
				return false;
			}
			if (!m.group(1).isEmpty() && !m.group(2).isEmpty() && m.group(1).length() <= 18 && m.group(2).length() <= 18
					&& Long.parseLong(m.group(1)) > Long.parseLong(m.group(2))) {
				return false;
			}
		}
		return true;
	}

	/** A range starting inside the file; a suffix starts inside it unless it is empty ({@code -0}). */
	private static boolean satisfiable(HttpRange range, long size) {
		return range.getRangeStart(size) < size;
	}

}
