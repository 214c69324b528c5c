package dev.phork.common;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The embedded database's passwords, generated on first start and kept in the data folder's
 * {@code secrets/} (folder 0700, files 0600, owned by the Phork process user). Signing secrets are
 * shared through the database instead ({@link SharedSecrets}); an older data folder's are read from
 * here once, to seed it. Secrets are never logged.
 */
@Component
public class Secrets {

	private final Path folder;

	public Secrets(DataDirectory dataDirectory) {
		this.folder = dataDirectory.resolve("secrets");
	}

	/**
	 * The secret an earlier version generated into this data folder, if there is one: signing
	 * secrets now live in the database ({@link SharedSecrets}), which is seeded with it once.
	 */
	public synchronized Optional<byte[]> existing(String name) {
		return has(name) ? Optional.of(generated(name)) : Optional.empty();
	}

	/** A generated password (64 URL-safe characters) for a service Phork runs itself. */
	public synchronized String password(String name) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(generated(name));
	}

	/** Whether the generated secret exists yet (before {@link #get} or {@link #password} creates it). */
	public synchronized boolean has(String name) {
		return Files.exists(folder.resolve(name + ".key"), LinkOption.NOFOLLOW_LINKS);
	}

	private byte[] generated(String name) {
		Path file = folder.resolve(name + ".key");
		try {
			Files.createDirectories(folder);
			restrict(folder, "rwx------");
			if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
				create(file);
			}
			restrict(file, "rw-------");
			return Base64.getDecoder().decode(Files.readString(file).trim());
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new StartupFailure("cannot read or create secret " + file + " (" + ex.getMessage() + ").");
		}
	}

	/**
	 * Writes a new secret under a temporary name and links it into place: the link fails if
	 * another Phork process on this data folder got there first, and then both use that one.
	 * Readers never see a half-written file.
	 */
	private void create(Path file) throws IOException {
		byte[] secret = new byte[48];
		new SecureRandom().nextBytes(secret);
		Path temporary = Files.createTempFile(folder, ".new-", ".key", ownerOnly());
		try {
			Files.writeString(temporary, Base64.getEncoder().encodeToString(secret));
			Files.createLink(file, temporary);
		}
		catch (FileAlreadyExistsException ex) {
			// Another process created it in the meantime: theirs is the one.
		}
		finally {
			Files.delete(temporary);
		}
	}

	private FileAttribute<?>[] ownerOnly() {
		if (!posix()) {
			return new FileAttribute<?>[0];
		}
		return new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) };
	}

	/**
	 * Keeps the secrets this process's alone: a folder or file left wider open (by an earlier
	 * version, or by hand) is closed again, and one that belongs to another user is refused, since
	 * that user could have chosen it. Not a POSIX file system: the folder's own protection has to do.
	 */
	private void restrict(Path path, String permissions) throws IOException {
		if (!posix()) {
			return;
		}
		long me = new UnixSystem().getUid();
		int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
		if (owner != me) {
			throw new StartupFailure(path + " belongs to uid " + owner + ", not to the user Phork runs as (uid " + me
					+ "); run every Phork process on this data folder as the same user, or chown it.");
		}
		Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
	}

	private boolean posix() {
		return folder.getFileSystem().supportedFileAttributeViews().contains("unix");
	}

}
