package dev.phork.assets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves a file with Tomcat's sendfile: the response carries only headers from the JVM and the
 * container hands the file to the kernel, which copies it to the socket without passing it through
 * user space. It handles a whole file or one byte range; anything else (several ranges, a HEAD
 * request, a container without sendfile) is left to Spring's own resource handling.
 */
final class ZeroCopy {

	private static final String SUPPORT = "org.apache.tomcat.sendfile.support";

	private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

	private ZeroCopy() {
	}

	/** Answers true when it has handled the response. */
	static boolean serve(HttpServletRequest request, HttpServletResponse response, Path file, String mimeType,
			String etag, long maxAgeSeconds) throws IOException {
		if (!Boolean.TRUE.equals(request.getAttribute(SUPPORT)) || !"GET".equals(request.getMethod())) {
			return false;
		}
		String range = request.getHeader("Range");
		if (range != null && !SINGLE_RANGE.matcher(range.strip()).matches()) {
			return false;
		}
		long size = Files.size(file);
		response.setHeader("ETag", etag);
		response.setHeader("Accept-Ranges", "bytes");
		response.setHeader("Cache-Control", "max-age=" + maxAgeSeconds + ", private");
		if (etag.equals(request.getHeader("If-None-Match"))) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return true;
		}
		long start = 0;
		long end = size;
		if (range != null) {
			Matcher m = SINGLE_RANGE.matcher(range.strip());
			m.matches();
			if (m.group(1).isEmpty()) {
				long suffix = m.group(2).isEmpty() ? 0 : Long.parseLong(m.group(2));
				start = Math.max(0, size - suffix);
			}
			else {
				start = Long.parseLong(m.group(1));
				end = m.group(2).isEmpty() ? size : Math.min(size, Long.parseLong(m.group(2)) + 1);
			}
			if (start >= end) {
				response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
				response.setHeader("Content-Range", "bytes */" + size);
				return true;
			}
			response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
			response.setHeader("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + size);
		}
		response.setContentType(mimeType);
		response.setContentLengthLong(end - start);
		request.setAttribute("org.apache.tomcat.sendfile.filename", file.toAbsolutePath().toString());
		request.setAttribute("org.apache.tomcat.sendfile.start", start);
		request.setAttribute("org.apache.tomcat.sendfile.end", end);
		return true;
	}

}
