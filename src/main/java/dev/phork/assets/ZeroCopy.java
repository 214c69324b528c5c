package dev.phork.assets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpRange;

/**
 * Serves a whole file or one byte range of it. Where the container offers it, with Tomcat's
 * sendfile: the response carries only headers from the JVM and the kernel copies the file to the
 * socket without passing it through user space. Otherwise the bytes go through a file channel in
 * the container's buffer-sized pieces; either way they are never buffered whole.
 */
final class ZeroCopy {

	private static final String SUPPORT = "org.apache.tomcat.sendfile.support";

	private ZeroCopy() {
	}

	static void serve(HttpServletRequest request, HttpServletResponse response, Path file, long size, String mimeType,
			String etag, long maxAgeSeconds, @Nullable HttpRange range) throws IOException {
		long[] span = prepare(request, response, size, mimeType, etag, maxAgeSeconds, range);
		if (span == null) {
			return;
		}
		long start = span[0];
		long end = span[1];
		if (Boolean.TRUE.equals(request.getAttribute(SUPPORT))) {
			request.setAttribute("org.apache.tomcat.sendfile.filename", file.toAbsolutePath().toString());
			request.setAttribute("org.apache.tomcat.sendfile.start", start);
			request.setAttribute("org.apache.tomcat.sendfile.end", end);
			return;
		}
		try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
			WritableByteChannel out = Channels.newChannel(response.getOutputStream());
			for (long at = start; at < end;) {
				at += in.transferTo(at, end - at, out);
			}
		}
	}

	/**
	 * Writes the headers of an answer with the whole content or one range of it, and answers the
	 * bytes {@code [start, end)} to send; null when nothing is to be sent (304, HEAD).
	 */
	static long @Nullable [] prepare(HttpServletRequest request, HttpServletResponse response, long size, String mimeType,
			String etag, long maxAgeSeconds, @Nullable HttpRange range) {
		response.setHeader("ETag", etag);
		response.setHeader("Accept-Ranges", "bytes");
		response.setHeader("Cache-Control", "max-age=" + maxAgeSeconds + ", private");
		if (etag.equals(request.getHeader("If-None-Match"))) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return null;
		}
		long start = 0;
		long end = size;
		if (range != null) {
			start = range.getRangeStart(size);
			end = range.getRangeEnd(size) + 1;
			response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
			response.setHeader("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + size);
		}
		response.setContentType(mimeType);
		response.setContentLengthLong(end - start);
		return "HEAD".equals(request.getMethod()) ? null : new long[] { start, end };
	}

}
