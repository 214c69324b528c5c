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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.multipart.MultipartFile;

/**
 * Reference image uploads. The type is sniffed from the bytes (PNG or JPEG; WebP is refused, since
 * the registry's analysis cannot read it), never trusted from the client; the client's file name is kept only as a label and never reaches the file system. The
 * size the header declares is checked against the pixel limit here, so a picture no one may decode
 * never becomes an asset, and the picture is then decoded once, so one that cannot be never does either.
 */
@Service
class Uploads {

	private static final int MAX_CHECKED_SIDE = 1024;

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
			ImageSize size = ImageSize.read(temp)
				.orElseThrow(() -> ProblemException.unprocessable("unreadable_image",
						"The image's header is cut short or damaged: its width and height cannot be read."));
			images.requireWithin(size);
			requireDecodable(temp, size);
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
			throw ProblemException.unprocessable("unsupported_upload_type",
					"WebP images are not accepted: the registry cannot analyse them. Convert it to PNG or JPEG.");
		}
		throw ProblemException.unprocessable("unsupported_upload_type",
				"Only PNG and JPEG images can be uploaded (detected from the file's bytes).");
	}

	/**
	 * Decodes the picture once, subsampled to at most {@value #MAX_CHECKED_SIDE} pixels a side so
	 * that memory stays bounded whatever its size (within the pixel limit, checked before): a valid
	 * header followed by junk is refused here rather than minted and failing later in the registry
	 * or a job.
	 */
	private static void requireDecodable(Path file, ImageSize size) {
		try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
			Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
			if (!readers.hasNext()) {
				throw unreadable("no decoder recognises it");
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(in, true, true);
				ImageReadParam param = reader.getDefaultReadParam();
				int step = (int) Math.max(1, Math.ceilDiv(Math.max(size.width(), size.height()), MAX_CHECKED_SIDE));
				param.setSourceSubsampling(step, step, 0, 0);
				reader.read(0, param);
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof ProblemException problem) {
				throw problem;
			}
			throw unreadable("its data is damaged past the header");
		}
	}

	private static ProblemException unreadable(String why) {
		return ProblemException.unprocessable("unreadable_image",
				"The image's header is readable but the picture cannot be decoded: " + why + ".");
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
