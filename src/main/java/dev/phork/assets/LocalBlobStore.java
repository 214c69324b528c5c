package dev.phork.assets;

import dev.phork.common.DataDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
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

	/**
	 * Moves the file in under its content's key. On the same file system that is one rename into
	 * place; from another file system the bytes are copied to a temporary name in the store first,
	 * then renamed, so a reader never sees half a blob either way.
	 */
	@Override
	public StoredBlob take(Path file) throws IOException {
		MessageDigest digest = sha256();
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		String key = HexFormat.of().formatHex(digest.digest());
		long size = Files.size(file);
		Path target = path(key);
		if (Files.exists(target)) {
			Files.delete(file);
			return new StoredBlob(key, size);
		}
		if (!Files.isDirectory(target.getParent())) {
			Files.createDirectories(target.getParent());
		}
		try {
			Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Path temp = Files.createTempFile(root, ".incoming-", ".tmp");
			try {
				Files.move(file, temp, StandardCopyOption.REPLACE_EXISTING);
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
			}
			finally {
				Files.deleteIfExists(temp);
			}
		}
		return new StoredBlob(key, size);
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
