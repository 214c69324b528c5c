package dev.phork.assets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Content-addressed bytes: the key is the SHA-256 of the content, so the same bytes are stored once
 * and a key can never name two contents (no path collisions). The local folder is the default; an
 * S3-compatible store implements the same interface.
 */
public interface BlobStore {

	/** Moves {@code file} into the store (it is gone afterwards) and answers its key and size. */
	StoredBlob take(Path file) throws IOException;

	/** Opens the bytes of a stored blob. */
	InputStream open(String sha256) throws IOException;

	/** A local file with the blob's bytes, for tools like FFmpeg that read files. */
	Path localFile(String sha256) throws IOException;

	long size(String sha256) throws IOException;

	void delete(String sha256) throws IOException;

	record StoredBlob(String sha256, long sizeBytes) {
	}

}
