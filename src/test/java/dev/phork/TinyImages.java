package dev.phork;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * Small files whose headers declare large pictures, as an attacker sends them: a few hundred bytes
 * that a decoder would spend seconds and gigabytes on. Each is a well-formed header followed by too
 * little data, which decoders accept (they fill in the rest).
 */
public final class TinyImages {

	private TinyImages() {
	}

	/**
	 * A baseline JPEG of 16x16 grey pixels whose frame header is rewritten to declare the size; {@code variant}
	 * changes one pixel, so that files of the same size can differ in their bytes.
	 */
	public static byte[] jpeg(int width, int height, int variant) {
		BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
		image.setRGB(variant % 16, variant / 16 % 16, 0xFFFFFF - variant);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "jpeg", out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		byte[] bytes = out.toByteArray();
		for (int i = 2; i < bytes.length - 9; i++) {
			if ((bytes[i] & 0xFF) == 0xFF && (bytes[i + 1] & 0xFF) == 0xC0) {
				bytes[i + 5] = (byte) (height >> 8);
				bytes[i + 6] = (byte) height;
				bytes[i + 7] = (byte) (width >> 8);
				bytes[i + 8] = (byte) width;
				return bytes;
			}
		}
		throw new IllegalStateException("ImageIO wrote no baseline frame header");
	}

	/** An RGB PNG declaring the size, holding one row of black pixels (valid chunks and CRCs). */
	public static byte[] png(int width, int height) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
		chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
			.put((byte) 0).put((byte) 0).put((byte) 0).array());
		Deflater deflater = new Deflater(9);
		deflater.setInput(new byte[1 + 3 * width]);
		deflater.finish();
		byte[] compressed = new byte[1 + 3 * width];
		int length = deflater.deflate(compressed);
		deflater.end();
		chunk(out, "IDAT", java.util.Arrays.copyOf(compressed, length));
		chunk(out, "IEND", new byte[0]);
		return out.toByteArray();
	}

	/** An extended WebP (VP8X) whose canvas is the size, with no frame after it. */
	public static byte[] webp(int width, int height) {
		ByteBuffer buffer = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
		buffer.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22).put("WEBP".getBytes(StandardCharsets.US_ASCII));
		buffer.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0);
		buffer.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
		buffer.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
		return buffer.array();
	}

	private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
		byte[] name = type.getBytes(StandardCharsets.US_ASCII);
		out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		out.writeBytes(name);
		out.writeBytes(data);
		CRC32 crc = new CRC32();
		crc.update(name);
		crc.update(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

}
