package dev.phork.assets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The content addressing every blob store shares: a blob's key is the SHA-256 of its bytes, kept
 * under {@code ab/cd/<sha256>} so that no folder (or listing prefix) grows past a few thousand
 * entries. The same layout locally and in a bucket makes moving a data folder's blobs into a bucket
 * a plain copy.
 */
final class ContentKeys {

	private ContentKeys() {
	}

	/** The SHA-256 of the file's bytes, in lowercase hex. */
	static String sha256(Path file) throws IOException {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/** The blob's path relative to the store's root, {@code ab/cd/<sha256>}. */
	static String relativePath(String sha256) {
		if (!sha256.matches("[0-9a-f]{64}")) {
			throw new IllegalArgumentException("not a sha256 key");
		}
		return sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256;
	}

}
