package dev.phork.assets;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one byte range of a {@code Range: bytes=a-b} header, resolved against the content's size.
 * Served whole when there is no header; several ranges are not parsed here (callers leave those to
 * Spring or answer the whole content, which RFC 9110 allows).
 *
 * @param start the first byte
 * @param end one past the last byte
 * @param partial whether a range was asked for (206) rather than the whole (200)
 */
record ByteRange(long start, long end, boolean partial) {

	private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

	static boolean isSingle(@Nullable String header) {
		return header == null || SINGLE_RANGE.matcher(header.strip()).matches();
	}

	/** The range asked for; empty ({@code start >= end}) when it cannot be satisfied (416). */
	static ByteRange of(@Nullable String header, long size) {
		if (header == null) {
			return new ByteRange(0, size, false);
		}
		Matcher m = SINGLE_RANGE.matcher(header.strip());
		if (!m.matches()) {
			return new ByteRange(0, size, false);
		}
		long start;
		long end = size;
		if (m.group(1).isEmpty()) {
			long suffix = m.group(2).isEmpty() ? 0 : Long.parseLong(m.group(2));
			start = Math.max(0, size - suffix);
		}
		else {
			start = Long.parseLong(m.group(1));
			end = m.group(2).isEmpty() ? size : Math.min(size, Long.parseLong(m.group(2)) + 1);
		}
		return new ByteRange(start, end, true);
	}

	boolean satisfiable() {
		return start < end;
	}

	long length() {
		return end - start;
	}

	String contentRange(long size) {
		return "bytes " + start + "-" + (end - 1) + "/" + size;
	}

}
