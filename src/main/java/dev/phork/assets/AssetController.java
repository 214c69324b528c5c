package dev.phork.assets;

import dev.phork.identity.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/assets")
class AssetController {

	private final AssetService assets;

	private final Uploads uploads;

	private final BlobStore blobs;

	AssetController(AssetService assets, Uploads uploads, BlobStore blobs) {
		this.assets = assets;
		this.uploads = uploads;
		this.blobs = blobs;
	}

	@GetMapping("/{id}")
	AssetView get(Caller caller, @PathVariable UUID id) {
		return assets.get(caller, id);
	}

	/**
	 * Streams an asset's bytes to whoever holds a valid signed URL (so {@code <video>} elements can
	 * play it without a token). Where the servlet container can, the file goes out with the kernel's
	 * sendfile, never through the JVM; otherwise Spring streams it. Both serve single Range requests
	 * (206), ETag and Content-Length; the bytes are never buffered whole. Blobs in a bucket are
	 * passed through with ranged reads, or, with {@code PHORK_S3_REDIRECT=true}, the client is sent
	 * to a presigned URL of the bucket that lives as long as this URL still does (at least a minute).
	 */
	@GetMapping("/{id}/content")
	ResponseEntity<Resource> content(@PathVariable UUID id, @RequestParam UUID w, @RequestParam long expires,
			@RequestParam String sig, HttpServletRequest request, HttpServletResponse response) throws IOException {
		AssetRecord asset = assets.verifiedForContent(id, w, expires, sig);
		long maxAge = Math.max(0, expires - Instant.now().getEpochSecond());
		String etag = "\"" + asset.sha256() + "\"";
		Optional<URI> direct = blobs.directUrl(asset.sha256(), asset.mimeType(), Duration.ofSeconds(Math.max(60, maxAge)));
		if (direct.isPresent()) {
			return ResponseEntity.status(HttpStatus.FOUND).location(direct.get()).cacheControl(CacheControl.noStore()).build();
		}
		Optional<Path> own = blobs.ownFile(asset.sha256());
		if (own.isEmpty()) {
			RemoteContent.serve(request, response, blobs, asset, etag, maxAge);
			return null;
		}
		Path file = own.get();
		if (ZeroCopy.serve(request, response, file, asset.mimeType(), etag, maxAge)) {
			return null;
		}
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(asset.mimeType()))
			.eTag(etag)
			.cacheControl(CacheControl.maxAge(Duration.ofSeconds(maxAge)).cachePrivate())
			.header("Accept-Ranges", "bytes")
			.body(new FileSystemResource(file));
	}

	@PostMapping(path = "/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@ResponseStatus(HttpStatus.CREATED)
	AssetView upload(Caller caller, @RequestPart("file") MultipartFile file, @RequestParam UUID workspaceId,
			@RequestParam(required = false) @Nullable String name) {
		return uploads.upload(caller, workspaceId, file, name);
	}

}
