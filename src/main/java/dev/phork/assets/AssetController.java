package dev.phork.assets;

import dev.phork.common.ApiAnswers;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import dev.phork.common.Problems;
import dev.phork.identity.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.support.ResourceRegion;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.ResourceRegionHttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@Tag(name = "assets")
@RestController
@RequestMapping("/assets")
class AssetController {

	private static final Type REGIONS = ResolvableType.forClassWithGenerics(List.class, ResourceRegion.class).getType();

	private final AssetService assets;

	private final Uploads uploads;

	private final BlobStore blobs;

	AssetController(AssetService assets, Uploads uploads, BlobStore blobs) {
		this.assets = assets;
		this.uploads = uploads;
		this.blobs = blobs;
	}

	@Operation(operationId = "getAsset", summary = "Read an asset, with a signed content URL")
	@ApiAnswers(problems = { "asset_not_found" })
	@GetMapping("/{id}")
	AssetView get(Caller caller, @PathVariable UUID id) {
		return assets.get(caller, id);
	}

	/**
	 * Streams an asset's bytes to whoever holds a valid signed URL (so {@code <video>} elements can
	 * play it without a token), with ETag and Content-Length. A blob on this machine's disk goes out
	 * as {@link ZeroCopy} serves it (sendfile where the container can), one byte range as 206 the same
	 * way, several as {@code multipart/byteranges} by Spring's converter. A blob in a bucket is passed
	 * through with a ranged read ({@link RemoteContent}), or, with {@code PHORK_S3_REDIRECT=true}, the
	 * client is sent to a presigned URL of the bucket that lives as long as this URL still does (at
	 * least a minute). A Range header that is not valid is ignored (200), one that cannot be satisfied
	 * is a 416 problem (see {@link ByteRanges}).
	 */
	@Operation(operationId = "getAssetContent", summary = "An asset's bytes through its signed URL (no token; Range supported)")
	@ApiAnswers(success = { 200, 206 }, media = { "video/mp4", "audio/mp4", "image/png", "image/jpeg", "image/webp" }, problems = { "asset_not_found", "invalid_signature", "url_expired", "range_not_satisfiable" })
	@GetMapping("/{id}/content")
	ResponseEntity<?> content(@PathVariable UUID id, @RequestParam UUID w, @RequestParam long expires,
			@RequestParam String sig, HttpServletRequest request, HttpServletResponse response) throws IOException {
		AssetRecord asset = assets.verifiedForContent(id, w, expires, sig);
		long maxAge = Math.max(0, expires - Instant.now().getEpochSecond());
		String etag = "\"" + asset.sha256() + "\"";
		Optional<URI> direct = blobs.directUrl(asset.sha256(), asset.mimeType(), Duration.ofSeconds(Math.max(60, maxAge)));
		if (direct.isPresent()) {
			return ResponseEntity.status(HttpStatus.FOUND).location(direct.get()).cacheControl(CacheControl.noStore()).build();
		}
		long size = asset.sizeBytes();
		ByteRanges ranges = ByteRanges.of(request.getHeader(HttpHeaders.RANGE), size);
		if (!ranges.satisfiable()) {
			return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
				.header(HttpHeaders.CONTENT_RANGE, "bytes */" + size)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(Problems.of(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range_not_satisfiable",
						"No byte of the requested range lies within the asset's " + size + " bytes."));
		}
		Optional<Path> own = blobs.ownFile(asset.sha256());
		if (own.isEmpty()) {
			RemoteContent.serve(request, response, blobs, asset, etag, maxAge,
					ranges.ranges().size() == 1 ? ranges.ranges().getFirst() : null);
			return null;
		}
		Path file = own.get();
		if (ranges.ranges().size() > 1) {
			FileSystemResource resource = new FileSystemResource(file);
			response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
			response.setHeader(HttpHeaders.ETAG, etag);
			response.setHeader(HttpHeaders.CACHE_CONTROL,
					CacheControl.maxAge(Duration.ofSeconds(maxAge)).cachePrivate().getHeaderValue());
			response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
			// Written here rather than returned: the converter needs the list's element type.
			new ResourceRegionHttpMessageConverter().write(
					ranges.ranges().stream().map(range -> range.toResourceRegion(resource)).toList(), REGIONS,
					MediaType.parseMediaType(asset.mimeType()), new ServletServerHttpResponse(response));
			return null;
		}
		ZeroCopy.serve(request, response, file, size, asset.mimeType(), etag, maxAge,
				ranges.whole() ? null : ranges.ranges().getFirst());
		return null;
	}

	@Operation(operationId = "uploadAsset", summary = "Upload a reference image (PNG or JPEG)")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "empty_upload", "unsupported_upload_type", "unreadable_image", "image_too_large" })
	@PostMapping(path = "/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@ResponseStatus(HttpStatus.CREATED)
	AssetView upload(Caller caller, @RequestPart("file") MultipartFile file, @RequestParam UUID workspaceId,
			@RequestParam(required = false) @Nullable String name) {
		return uploads.upload(caller, workspaceId, file, name);
	}

}
