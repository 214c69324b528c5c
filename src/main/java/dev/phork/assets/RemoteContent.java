package dev.phork.assets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpRange;

/**
 * Serves a blob that is not on this machine's disk by passing its bytes through: a Range request
 * becomes one ranged read from the store, so seeking in a long video fetches only what is played.
 * Several ranges at once are answered with the whole content (RFC 9110 lets a server ignore Range):
 * the caller passes no range then.
 */
final class RemoteContent {

	private RemoteContent() {
	}

	static void serve(HttpServletRequest request, HttpServletResponse response, BlobStore blobs, AssetRecord asset,
			String etag, long maxAgeSeconds, @Nullable HttpRange range) throws IOException {
		long[] span = ZeroCopy.prepare(request, response, asset.sizeBytes(), asset.mimeType(), etag, maxAgeSeconds, range);
		if (span == null) {
			return;
		}
		long start = span[0];
		long end = span[1];
		try (InputStream in = blobs.open(asset.sha256(), start, end - start)) {
			OutputStream out = response.getOutputStream();
			in.transferTo(out);
		}
	}

}
