package dev.phork.media;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The width and height a picture declares in its header, read without decoding a single pixel, so
 * that a picture too large to decode can be refused before anything allocates room for it (a
 * 200-byte JPEG may declare 46000x46000).
 *
 * <p>Reads PNG ({@code IHDR}), JPEG (the first start-of-frame marker) and WebP (the {@code VP8X}
 * canvas, or the size of a plain {@code VP8}/{@code VP8L} frame). Anything else, and a header cut
 * short, gives no size.
 */
public record ImageSize(long width, long height) {

	/** JPEG headers hold tables and metadata before the frame; a header this long is not a picture. */
	private static final int MAX_JPEG_HEADER = 1 << 20;

	public long pixels() {
		return width * height;
	}

	@Override
	public String toString() {
		return width + "x" + height;
	}

	/**
	 * @throws UncheckedIOException if the file cannot be read
	 */
	public static Optional<ImageSize> read(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			byte[] head = in.readNBytes(30);
			if (isPng(head)) {
				return png(head);
			}
			if (head.length >= 3 && u8(head, 0) == 0xFF && u8(head, 1) == 0xD8) {
				try {
					return jpeg(head, in);
				}
				catch (EOFException ex) {
					return Optional.empty();
				}
			}
			if (head.length >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
				return webp(head);
			}
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean isPng(byte[] head) {
		return head.length >= 8 && u8(head, 0) == 0x89 && ascii(head, 1, "PNG") && u8(head, 4) == 0x0D
				&& u8(head, 5) == 0x0A && u8(head, 6) == 0x1A && u8(head, 7) == 0x0A;
	}

	/** The first chunk of a PNG is always IHDR: width and height as big-endian 32-bit numbers. */
	private static Optional<ImageSize> png(byte[] head) {
		if (head.length < 24 || !ascii(head, 12, "IHDR")) {
			return Optional.empty();
		}
		return Optional.of(new ImageSize(u32be(head, 16), u32be(head, 20)));
	}

	/**
	 * Walks the JPEG's marker segments up to the first start-of-frame (SOF0..SOF15 except DHT, JPG
	 * and DAC), which holds height and width; a scan before any frame means no size.
	 */
	private static Optional<ImageSize> jpeg(byte[] head, InputStream rest) throws IOException {
		InputStream in = new SequenceInputStream(new ByteArrayInputStream(head, 2, head.length - 2), rest);
		long read = 2;
		while (read < MAX_JPEG_HEADER) {
			int b = in.read();
			read++;
			if (b != 0xFF) {
				return Optional.empty();
			}
			int marker = in.read();
			read++;
			while (marker == 0xFF) {
				marker = in.read();
				read++;
			}
			if (marker < 0 || marker == 0xD9 || marker == 0xDA) {
				return Optional.empty();
			}
			if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
				continue;
			}
			byte[] length = in.readNBytes(2);
			if (length.length < 2) {
				return Optional.empty();
			}
			int segment = (u8(length, 0) << 8 | u8(length, 1)) - 2;
			read += 2;
			if (segment < 0) {
				return Optional.empty();
			}
			boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
			if (frame) {
				byte[] sof = in.readNBytes(5);
				if (sof.length < 5) {
					return Optional.empty();
				}
				return Optional.of(new ImageSize(u8(sof, 3) << 8 | u8(sof, 4), u8(sof, 1) << 8 | u8(sof, 2)));
			}
			in.skipNBytes(segment);
			read += segment;
		}
		return Optional.empty();
	}

	/** The chunk after the RIFF header: VP8X (extended), VP8L (lossless) or VP8 (lossy). */
	private static Optional<ImageSize> webp(byte[] head) {
		if (head.length < 30) {
			return Optional.empty();
		}
		if (ascii(head, 12, "VP8X")) {
			return Optional.of(new ImageSize(u24le(head, 24) + 1, u24le(head, 27) + 1));
		}
		if (ascii(head, 12, "VP8L") && u8(head, 20) == 0x2F) {
			long bits = u8(head, 21) | u8(head, 22) << 8 | u8(head, 23) << 16 | (long) u8(head, 24) << 24;
			return Optional.of(new ImageSize((bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1));
		}
		if (ascii(head, 12, "VP8 ") && u8(head, 23) == 0x9D && u8(head, 24) == 0x01 && u8(head, 25) == 0x2A) {
			return Optional.of(new ImageSize((u8(head, 26) | u8(head, 27) << 8) & 0x3FFF,
					(u8(head, 28) | u8(head, 29) << 8) & 0x3FFF));
		}
		return Optional.empty();
	}

	private static int u8(byte[] bytes, int at) {
		return bytes[at] & 0xFF;
	}

	private static long u32be(byte[] bytes, int at) {
		return (long) u8(bytes, at) << 24 | u8(bytes, at + 1) << 16 | u8(bytes, at + 2) << 8 | u8(bytes, at + 3);
	}

	private static long u24le(byte[] bytes, int at) {
		return u8(bytes, at) | u8(bytes, at + 1) << 8 | (long) u8(bytes, at + 2) << 16;
	}

	private static boolean ascii(byte[] bytes, int at, String text) {
		for (int i = 0; i < text.length(); i++) {
			if (bytes[at + i] != text.charAt(i)) {
				return false;
			}
		}
		return true;
	}

}
