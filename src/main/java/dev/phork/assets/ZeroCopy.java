package dev.phork.assets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serves a file with Tomcat's sendfile: the response carries only headers from the JVM and the
 * container hands the file to the kernel, which copies it to the socket without passing it through
 * user space. It handles a whole file or one byte range; anything else (several ranges, a HEAD
 * request, a container without sendfile) is left to Spring's own resource handling.
 */
final class ZeroCopy {

	private static final String SUPPORT = "org.apache.tomcat.sendfile.support";

	private ZeroCopy() {
	}

	/** Answers true when it has handled the response. */
	static boolean serve(HttpServletRequest request, HttpServletResponse response, Path file, String mimeType,
			String etag, long maxAgeSeconds) throws IOException {
		if (!Boolean.TRUE.equals(request.getAttribute(SUPPORT)) || !"GET".equals(request.getMethod())) {
			return false;
		}
		String header = request.getHeader("Range");
		if (!ByteRange.isSingle(header)) {
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
		ByteRange range = ByteRange.of(header, size);
		if (range.partial()) {
			if (!range.satisfiable()) {
				response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
				response.setHeader("Content-Range", "bytes */" + size);
				return true;
			}
			response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
			response.setHeader("Content-Range", range.contentRange(size));
		}
		response.setContentType(mimeType);
		response.setContentLengthLong(range.length());
		request.setAttribute("org.apache.tomcat.sendfile.filename", file.toAbsolutePath().toString());
		request.setAttribute("org.apache.tomcat.sendfile.start", range.start());
		request.setAttribute("org.apache.tomcat.sendfile.end", range.end());
		return true;
	}

}
