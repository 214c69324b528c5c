package dev.phork.assets;

import dev.phork.common.DataDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * Blobs under {@code <data dir>/blobs/ab/cd/<sha256>}. Writes go to a temporary file that is moved
 * into place atomically, so a reader never sees half a blob.
 */
@Component
class LocalBlobStore implements BlobStore {

	private final Path root;

	LocalBlobStore(DataDirectory dataDirectory) throws IOException {
		this.root = Files.createDirectories(dataDirectory.resolve("blobs"));
	}

	@Override
	public StoredBlob put(Path file) throws IOException {
		Path temp = Files.createTempFile(root, ".incoming-", ".tmp");
		try {
			MessageDigest digest = sha256();
			try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
				Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
			}
			String key = HexFormat.of().formatHex(digest.digest());
			Path target = path(key);
			Files.createDirectories(target.getParent());
			if (!Files.exists(target)) {
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
			}
			return new StoredBlob(key, Files.size(target));
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	@Override
	public InputStream open(String sha256) throws IOException {
		return Files.newInputStream(path(sha256));
	}

	@Override
	public Path localFile(String sha256) {
		return path(sha256);
	}

	@Override
	public long size(String sha256) throws IOException {
		return Files.size(path(sha256));
	}

	@Override
	public void delete(String sha256) throws IOException {
		Files.deleteIfExists(path(sha256));
	}

	private Path path(String sha256) {
		if (!sha256.matches("[0-9a-f]{64}")) {
			throw new IllegalArgumentException("not a sha256 key");
		}
		return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
