package dev.phork.assets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local copies of remote blobs, for tools that read files (FFmpeg, image probes). The total size is
 * bounded: the least recently used copies are deleted first. A copy handed out within the last
 * {@code inUse} ({@link #IN_USE} in production) is never deleted, since a job may have it named on a command line that has not
 * opened it yet (once opened, deleting it does not disturb the reader), so the bound can be passed
 * by what running jobs fetched in that window. Copies survive a restart; the order is rebuilt from
 * the files' modification times.
 */
final class BlobCache {

	private static final Logger log = LoggerFactory.getLogger(BlobCache.class);

	/** How long a handed-out copy is kept whatever the bound. */
	static final Duration IN_USE = Duration.ofMinutes(10);

	/** Fetches a blob's bytes from where it lives. */
	interface Source {

		InputStream open(String sha256) throws IOException;

	}

	private final Path root;

	private final long maxBytes;

	private final long inUseNanos;

	private final Source source;

	/** sha256 to entry, least recently used first. */
	private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

	private long totalBytes;

	BlobCache(Path root, long maxBytes, Duration inUse, Source source) throws IOException {
		this.root = Files.createDirectories(root);
		this.maxBytes = maxBytes;
		this.inUseNanos = inUse.toNanos();
		this.source = source;
		try (Stream<Path> files = Files.list(root)) {
			List<Path> existing = files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}"))
				.sorted(Comparator.comparing(BlobCache::modified))
				.toList();
			for (Path file : existing) {
				long size = Files.size(file);
				entries.put(file.getFileName().toString(), new Entry(size, 0));
				totalBytes += size;
			}
		}
	}

	/** The local copy of the blob, fetched now if there is none. */
	Path get(String sha256) throws IOException {
		ContentKeys.relativePath(sha256);
		Path file = root.resolve(sha256);
		synchronized (this) {
			Entry entry = entries.get(sha256);
			if (entry != null && Files.exists(file)) {
				entries.put(sha256, new Entry(entry.size(), System.nanoTime()));
				Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
				return file;
			}
		}
		Path temp = Files.createTempFile(root, ".fetch-", ".tmp");
		try {
			try (InputStream in = source.open(sha256)) {
				Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
			}
			Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(temp);
		}
		long size = Files.size(file);
		synchronized (this) {
			Entry previous = entries.put(sha256, new Entry(size, System.nanoTime()));
			totalBytes += size - (previous == null ? 0 : previous.size());
			evict(sha256);
		}
		return file;
	}

	synchronized long totalBytes() {
		return totalBytes;
	}

	/** Forgets the copy of a deleted blob. */
	synchronized void remove(String sha256) throws IOException {
		Entry entry = entries.remove(sha256);
		if (entry != null) {
			totalBytes -= entry.size();
			Files.deleteIfExists(root.resolve(sha256));
		}
	}

	/** Deletes least recently used copies while over the bound, never {@code keep}, which is being handed out. */
	private void evict(String keep) {
		long protectedSince = System.nanoTime() - inUseNanos;
		Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
		while (totalBytes > maxBytes && oldest.hasNext()) {
			Map.Entry<String, Entry> next = oldest.next();
			if (next.getKey().equals(keep)) {
				continue;
			}
			if (next.getValue().usedAt() != 0 && next.getValue().usedAt() - protectedSince >= 0) {
				return;
			}
			try {
				Files.deleteIfExists(root.resolve(next.getKey()));
			}
			catch (IOException ex) {
				log.warn("Could not delete the cached copy of blob {}: {}", next.getKey(), ex.getMessage());
				continue;
			}
			totalBytes -= next.getValue().size();
			oldest.remove();
		}
	}

	private static FileTime modified(Path file) {
		try {
			return Files.getLastModifiedTime(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** @param usedAt {@link System#nanoTime} of the last hand-out; 0 for copies found at start */
	private record Entry(long size, long usedAt) {
	}

}
