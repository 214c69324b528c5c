package dev.phork.assets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Serves a blob that is not on this machine's disk by passing its bytes through: a Range request
 * becomes one ranged read from the store, so seeking in a long video fetches only what is played.
 * Several ranges at once are answered with the whole content (RFC 9110 lets a server ignore Range).
 */
final class RemoteContent {

	private RemoteContent() {
	}

	static void serve(HttpServletRequest request, HttpServletResponse response, BlobStore blobs, AssetRecord asset,
			String etag, long maxAgeSeconds) throws IOException {
		long size = asset.sizeBytes();
		response.setHeader("ETag", etag);
		response.setHeader("Accept-Ranges", "bytes");
		response.setHeader("Cache-Control", "max-age=" + maxAgeSeconds + ", private");
		if (etag.equals(request.getHeader("If-None-Match"))) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return;
		}
		ByteRange range = ByteRange.of(request.getHeader("Range"), size);
		if (range.partial()) {
			if (!range.satisfiable()) {
				response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
				response.setHeader("Content-Range", "bytes */" + size);
				return;
			}
			response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
			response.setHeader("Content-Range", range.contentRange(size));
		}
		response.setContentType(asset.mimeType());
		response.setContentLengthLong(range.length());
		if ("HEAD".equals(request.getMethod())) {
			return;
		}
		try (InputStream in = blobs.open(asset.sha256(), range.start(), range.length())) {
			OutputStream out = response.getOutputStream();
			in.transferTo(out);
		}
	}

}
