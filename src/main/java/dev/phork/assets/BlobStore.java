package dev.phork.assets;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Content-addressed bytes: the key is the SHA-256 of the content, so the same bytes are stored once
 * and a key can never name two contents (no path collisions). The local folder is the default
 * ({@link LocalBlobStore}); {@link S3BlobStore} keeps them in an S3-compatible bucket.
 */
public interface BlobStore {

	/** Moves {@code file} into the store (it is gone afterwards) and answers its key and size. */
	StoredBlob take(Path file) throws IOException;

	/** Opens the bytes of a stored blob. */
	InputStream open(String sha256) throws IOException;

	/** Opens {@code length} bytes of a stored blob from {@code offset} on. */
	InputStream open(String sha256, long offset, long length) throws IOException;

	/**
	 * A local file with the blob's bytes, for tools like FFmpeg that read files. Stores that keep
	 * blobs elsewhere answer a copy in a bounded local cache.
	 */
	Path localFile(String sha256) throws IOException;

	/** The blob's own file, where the store keeps it on this machine's disk, for sendfile. */
	Optional<Path> ownFile(String sha256);

	/**
	 * A URL the client may fetch the bytes from directly for {@code ttl}, where the store offers
	 * (and is configured to hand out) one.
	 */
	Optional<URI> directUrl(String sha256, String mimeType, Duration ttl);

	long size(String sha256) throws IOException;

	void delete(String sha256) throws IOException;

	record StoredBlob(String sha256, long sizeBytes) {
	}

}
