package dev.phork.assets;

import dev.phork.common.ApiAnswers;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import dev.phork.identity.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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

@Tag(name = "assets")
@RestController
@RequestMapping("/assets")
class AssetController {

	private final AssetService assets;

	private final Uploads uploads;

	AssetController(AssetService assets, Uploads uploads) {
		this.assets = assets;
		this.uploads = uploads;
	}

	@Operation(operationId = "getAsset", summary = "Read an asset, with a signed content URL")
	@ApiAnswers(problems = { "asset_not_found" })
	@GetMapping("/{id}")
	AssetView get(Caller caller, @PathVariable UUID id) {
		return assets.get(caller, id);
	}

	/**
	 * Streams an asset's bytes to whoever holds a valid signed URL (so {@code <video>} elements can
	 * play it without a token). Where the servlet container can, the file goes out with the kernel's
	 * sendfile, never through the JVM; otherwise Spring streams it. Both serve single Range requests
	 * (206), ETag and Content-Length; the bytes are never buffered whole.
	 */
	@Operation(operationId = "getAssetContent", summary = "An asset's bytes through its signed URL (no token; Range supported)")
	@ApiAnswers(success = { 200, 206 }, media = { "video/mp4", "audio/mp4", "image/png", "image/jpeg", "image/webp" }, problems = { "asset_not_found", "invalid_signature", "url_expired" })
	@GetMapping("/{id}/content")
	ResponseEntity<Resource> content(@PathVariable UUID id, @RequestParam UUID w, @RequestParam long expires,
			@RequestParam String sig, HttpServletRequest request, HttpServletResponse response) throws IOException {
		AssetRecord asset = assets.verifiedForContent(id, w, expires, sig);
		Path file = assets.localFile(asset);
		long maxAge = Math.max(0, expires - java.time.Instant.now().getEpochSecond());
		String etag = "\"" + asset.sha256() + "\"";
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

	@Operation(operationId = "uploadAsset", summary = "Upload a reference image (PNG, JPEG, WebP)")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "empty_upload", "unsupported_upload_type", "unreadable_image", "image_too_large" })
	@PostMapping(path = "/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@ResponseStatus(HttpStatus.CREATED)
	AssetView upload(Caller caller, @RequestPart("file") MultipartFile file, @RequestParam UUID workspaceId,
			@RequestParam(required = false) @Nullable String name) {
		return uploads.upload(caller, workspaceId, file, name);
	}

}
