package dev.phork.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.header.HeaderWriter;

/**
 * A Content-Security-Policy chosen by what the response is, written when the response commits (so
 * its content type is known). HTML pages (Swagger UI today, the studio later) load scripts, styles,
 * images and fonts from this origin only, run no inline script, and are never framed. Everything
 * else (JSON, problems, media, uploaded files) may load nothing at all, so a response opened as a
 * page in a browser runs nothing, whatever it holds.
 */
public final class ContentSecurityPolicy implements HeaderWriter {

	static final String HEADER = "Content-Security-Policy";

	/**
	 * Swagger UI loads only its own files and the API document from this origin and runs no inline
	 * script; its bundle inserts a {@code <style>} element at run time (hence {@code 'unsafe-inline'}
	 * for styles, the one violation headless Chromium reports without it) and some icons are
	 * {@code data:} images.
	 */
	static final String HTML = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			+ "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
			+ "form-action 'self'; frame-ancestors 'none'";

	static final String OTHER = "default-src 'none'; frame-ancestors 'none'";

	@Override
	public void writeHeaders(HttpServletRequest request, HttpServletResponse response) {
		if (response.containsHeader(HEADER)) {
			return;
		}
		String type = response.getContentType();
		response.setHeader(HEADER, type != null && type.startsWith("text/html") ? HTML : OTHER);
	}

}
