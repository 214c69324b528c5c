package dev.phork.common;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Caps request bodies: a declared length over the cap is refused before it is read, and a chunked
 * body is cut off the moment it passes the cap. Either way the answer is a 413 problem.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestSizeLimit extends OncePerRequestFilter {

	/**
	 * @param maxBody the largest JSON request body accepted
	 * @param maxUpload the largest multipart upload accepted
	 */
	@ConfigurationProperties("phork.http")
	record HttpSettings(DataSize maxBody, DataSize maxUpload) {
	}

	private final long maxBody;

	private final long maxUpload;

	private final JsonMapper json;

	RequestSizeLimit(HttpSettings settings, JsonMapper json) {
		this.maxBody = settings.maxBody().toBytes();
		this.maxUpload = settings.maxUpload().toBytes();
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String type = request.getContentType();
		long max = type != null && type.startsWith("multipart/") ? maxUpload : maxBody;
		if (request.getContentLengthLong() > max) {
			response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
			response.setContentType("application/problem+json");
			json.writeValue(response.getOutputStream(), Problems.of(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
					"The request body is larger than " + max + " bytes."));
			return;
		}
		chain.doFilter(new Limited(request, max), response);
	}

	/** Thrown while reading a body that passes the cap; answered as 413. */
	static final class BodyTooLarge extends IOException {

		BodyTooLarge(long max) {
			super("The request body is larger than " + max + " bytes.");
		}

	}

	private static final class Limited extends HttpServletRequestWrapper {

		private final long max;

		private ServletInputStream stream;

		Limited(HttpServletRequest request, long max) {
			super(request);
			this.max = max;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				ServletInputStream in = super.getInputStream();
				stream = new ServletInputStream() {

					private long read;

					@Override
					public int read() throws IOException {
						int b = in.read();
						if (b >= 0 && ++read > max) {
							throw new BodyTooLarge(max);
						}
						return b;
					}

					@Override
					public int read(byte[] buffer, int offset, int length) throws IOException {
						int n = in.read(buffer, offset, length);
						if (n > 0 && (read += n) > max) {
							throw new BodyTooLarge(max);
						}
						return n;
					}

					@Override
					public boolean isFinished() {
						return in.isFinished();
					}

					@Override
					public boolean isReady() {
						return in.isReady();
					}

					@Override
					public void setReadListener(ReadListener listener) {
						in.setReadListener(listener);
					}

				};
			}
			return stream;
		}

	}

}
