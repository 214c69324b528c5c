package dev.phork.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import dev.phork.TinyImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * An upload is decoded once before it is minted: magic bytes, or a header followed by junk, are
 * not a picture (422 saying so). WebP, which the registry cannot analyse, is refused at upload.
 */
class UploadDecodingTest extends ApiTest {

	@Test
	void aHeaderFollowedByJunkIsRefusedAndARealPictureIsMinted() throws Exception {
		TestUser user = register();
		byte[] png = picture("png");
		byte[] jpeg = picture("jpeg");
		byte[] junk = new byte[4000];
		new Random(7).nextBytes(junk);

		refused(user, Arrays.copyOf(png, 8), "unreadable_image");
		// Signature and the whole IHDR chunk (33 bytes), then junk where the pixel data should be.
		refused(user, concat(Arrays.copyOf(png, 33), junk), "unreadable_image");
		refused(user, concat(Arrays.copyOf(jpeg, jpegHeaderLength(jpeg)), junk), "unreadable_image");
		Http.Response webp = refused(user, TinyImages.webp(640, 480), "unsupported_upload_type");
		assertThat(webp.json().get("detail").asString()).contains("WebP", "PNG or JPEG");
		assertThat(db.sql("SELECT count(*) FROM assets WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single()).isZero();

		http.upload(user.token(), user.workspaceId(), "real.png", png).assertStatus(201);
		http.upload(user.token(), user.workspaceId(), "real.jpg", jpeg).assertStatus(201);
	}

	private Http.Response refused(TestUser user, byte[] content, String code) {
		Http.Response response = http.upload(user.token(), user.workspaceId(), "ref.png", content).assertProblem(422, code);
		return response;
	}

	private static byte[] picture(String format) throws Exception {
		BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
		for (int x = 0; x < 64; x++) {
			image.setRGB(x, x % 48, 0x3366CC + x);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, format, out);
		return out.toByteArray();
	}

	/** Up to and including the start-of-frame segment, so the header still declares the size. */
	private static int jpegHeaderLength(byte[] jpeg) {
		for (int i = 2; i < jpeg.length - 4; i++) {
			if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
				return i + 2 + ((jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF));
			}
		}
		throw new IllegalStateException("no start of frame");
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] out = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

}
