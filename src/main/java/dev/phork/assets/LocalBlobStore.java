package dev.phork.assets;

import dev.phork.common.DataDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/**
 * Blobs under {@code <data dir>/blobs/ab/cd/<sha256>}. Writes go to a temporary file that is moved
 * into place atomically, so a reader never sees half a blob.
 */
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
		String key = ContentKeys.sha256(file);
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
	public InputStream open(String sha256, long offset, long length) throws IOException {
		FileChannel channel = FileChannel.open(path(sha256));
		try {
			channel.position(offset);
			return new BoundedInputStream(Channels.newInputStream(channel), length);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	@Override
	public Path localFile(String sha256) {
		return path(sha256);
	}

	@Override
	public Optional<Path> ownFile(String sha256) {
		return Optional.of(path(sha256));
	}

	/** Local bytes are served by this process itself, with sendfile. */
	@Override
	public Optional<URI> directUrl(String sha256, String mimeType, Duration ttl) {
		return Optional.empty();
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
		return root.resolve(ContentKeys.relativePath(sha256));
	}

}
