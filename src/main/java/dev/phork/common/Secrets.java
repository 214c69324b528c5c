package dev.phork.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.stereotype.Component;

/**
 * Signing secrets. A secret configured by environment wins; otherwise one is generated on first
 * start and kept (mode 0600) in the data folder, so tokens and receipts survive a restart without
 * any setup. Secrets are never logged.
 */
@Component
public class Secrets {

	private final Path folder;

	public Secrets(DataDirectory dataDirectory) {
		this.folder = dataDirectory.resolve("secrets");
	}

	public synchronized byte[] get(String name, String configured) {
		if (configured != null && !configured.isBlank()) {
			byte[] bytes = configured.getBytes(java.nio.charset.StandardCharsets.UTF_8);
			if (bytes.length < 32) {
				throw new StartupFailure("the configured secret '" + name + "' is shorter than 32 bytes.");
			}
			return bytes;
		}
		Path file = folder.resolve(name + ".key");
		try {
			if (Files.exists(file)) {
				return Base64.getDecoder().decode(Files.readString(file).trim());
			}
			Files.createDirectories(folder);
			byte[] secret = new byte[48];
			new SecureRandom().nextBytes(secret);
			Files.writeString(file, Base64.getEncoder().encodeToString(secret), StandardOpenOption.CREATE_NEW);
			try {
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			}
			catch (UnsupportedOperationException ignored) {
				// Not a POSIX file system: the folder's own permissions have to do.
			}
			return secret;
		}
		catch (IOException ex) {
			throw new StartupFailure("cannot read or create secret " + file + " (" + ex.getMessage() + ").");
		}
	}

}
