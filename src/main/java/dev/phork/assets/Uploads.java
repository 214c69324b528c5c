package dev.phork.assets;

import dev.phork.common.ProblemException;
import dev.phork.identity.Caller;
import dev.phork.media.ImageSettings;
import dev.phork.media.ImageSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.multipart.MultipartFile;

/**
 * Reference image uploads. The type is sniffed from the bytes (PNG, JPEG, WebP), never trusted from
 * the client; the client's file name is kept only as a label and never reaches the file system. The
 * size the header declares is checked against the pixel limit here, so a picture no one may decode
 * never becomes an asset.
 */
@Service
class Uploads {

	private final AssetService assets;

	private final TransactionTemplate tx;

	private final ImageSettings images;

	Uploads(AssetService assets, TransactionTemplate tx, ImageSettings images) {
		this.assets = assets;
		this.tx = tx;
		this.images = images;
	}

	AssetView upload(Caller caller, UUID workspaceId, MultipartFile file, @Nullable String name) {
		assets.requireUploader(caller, workspaceId);
		if (file.isEmpty()) {
			throw ProblemException.badRequest("empty_upload", "The file part is empty.");
		}
		Path temp = null;
		try {
			temp = Files.createTempFile("phork-upload-", ".bin");
			try (InputStream in = file.getInputStream()) {
				Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
			}
			String mime = sniff(temp);
			images.requireWithin(ImageSize.read(temp)
				.orElseThrow(() -> ProblemException.unprocessable("unreadable_image",
						"The image's header is cut short or damaged: its width and height cannot be read.")));
			Blob blob = assets.store(temp);
			String label = label(name != null ? name : file.getOriginalFilename());
			Map<String, Object> provenance = new LinkedHashMap<>();
			provenance.put("kind", "upload");
			provenance.put("uploadedBy", caller.userId().toString());
			provenance.put("originalName", label);
			AssetRecord asset = tx.execute(status -> assets.mint(new MintCommand(workspaceId, AssetType.UPLOAD, blob, mime,
					null, "upload", "user", 0, null, label, provenance, caller.userId())));
			return assets.view(asset, workspaceId);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			if (temp != null) {
				try {
					Files.deleteIfExists(temp);
				}
				catch (IOException ignored) {
					// A temp file left behind is harmless; the OS cleans its temp folder.
				}
			}
		}
	}

	private static String sniff(Path file) throws IOException {
		byte[] head = new byte[12];
		int n;
		try (InputStream in = Files.newInputStream(file)) {
			n = in.readNBytes(head, 0, head.length);
		}
		if (n >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G' && head[4] == 0x0D
				&& head[5] == 0x0A && head[6] == 0x1A && head[7] == 0x0A) {
			return "image/png";
		}
		if (n >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
			return "image/jpeg";
		}
		if (n >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F' && head[8] == 'W'
				&& head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
			return "image/webp";
		}
		throw ProblemException.unprocessable("unsupported_upload_type",
				"Only PNG, JPEG and WebP images can be uploaded (detected from the file's bytes).");
	}

	/** The last path segment of the client's name, without control characters, at most 255 characters. */
	private static @Nullable String label(@Nullable String name) {
		if (name == null) {
			return null;
		}
		String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1)
			.replaceAll("\\p{Cntrl}", "")
			.strip();
		if (base.isEmpty() || base.equals(".") || base.equals("..")) {
			return null;
		}
		return base.length() <= 255 ? base : base.substring(0, 255);
	}

}
