package dev.phork.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * The server's data folder, checked once at start so a folder we cannot write is one clear line,
 * not a failure deep inside the database or blob store.
 */
@Component
public class DataDirectory {

	private final Path root;

	public DataDirectory(PhorkSettings settings) {
		this.root = settings.dataDir().toAbsolutePath().normalize();
		try {
			Files.createDirectories(root);
			Path probe = Files.createTempFile(root, ".write-check", ".tmp");
			Files.delete(probe);
		}
		catch (IOException | SecurityException ex) {
			throw new StartupFailure("data directory " + root + " is not writable (" + ex.getMessage()
					+ "); set PHORK_DATA_DIR to a folder this user can write.");
		}
	}

	public Path root() {
		return root;
	}

	public Path resolve(String child) {
		return root.resolve(child);
	}

}
