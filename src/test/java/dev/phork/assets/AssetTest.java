package dev.phork.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import dev.phork.TinyImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import dev.phork.common.DataDirectory;
import tools.jackson.databind.JsonNode;

/** Minted assets, signed content URLs (tamper, expiry, re-targeting, Range) and uploads. */
class AssetTest extends ApiTest {

	private static final HttpClient RAW = HttpClient.newHttpClient();

	@Autowired
	DataDirectory dataDirectory;

	@Test
	void aGeneratedAssetIsMintedWithProvenanceAndStreamsThroughItsSignedUrl() throws Exception {
		TestUser user = register();
		UUID jobId = submit(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"prompt\":\"ok:stream\",\"provider\":\"scripted\"}").uuid("id");
		UUID assetId = UUID.fromString(awaitJob(user, jobId).get("resultAssetId").asString());
		long assetsBefore = db.sql("SELECT count(*) FROM assets").query(Long.class).single();
		JsonNode asset = http.get("/assets/" + assetId, user.token()).assertStatus(200).json();
		http.get("/assets/" + assetId, user.token()).assertStatus(200);
		assertThat(db.sql("SELECT count(*) FROM assets").query(Long.class).single()).isEqualTo(assetsBefore);
		assertThat(asset.get("type").asString()).isEqualTo("image");
		assertThat(asset.get("mimeType").asString()).isEqualTo("image/png");
		assertThat(asset.get("jobId").asString()).isEqualTo(jobId.toString());
		assertThat(asset.get("cost").asLong()).isEqualTo(3);
		assertThat(asset.get("provider").asString()).isEqualTo("scripted");
		assertThat(asset.get("provenance").get("prompt").asString()).isEqualTo("ok:stream");
		assertThat(asset.get("mintReceipt").asString()).isNotBlank();
		Instant expires = Instant.parse(asset.get("urlExpiresAt").asString());
		assertThat(expires).isBetween(Instant.now().plusSeconds(14 * 60), Instant.now().plusSeconds(16 * 60));

		String url = asset.get("url").asString();
		HttpResponse<byte[]> full = get(url, null);
		assertThat(full.statusCode()).isEqualTo(200);
		assertThat(full.headers().firstValue("Content-Type")).hasValue("image/png");
		assertThat(full.headers().firstValue("ETag")).hasValue("\"" + asset.get("sha256").asString() + "\"");
		assertThat(full.headers().firstValue("Content-Length")).hasValue(String.valueOf(full.body().length));
		assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(full.body())))
			.isEqualTo(asset.get("sha256").asString());

		HttpResponse<byte[]> range = get(url, "bytes=0-9");
		assertThat(range.statusCode()).isEqualTo(206);
		assertThat(range.body()).hasSize(10).containsExactly(java.util.Arrays.copyOf(full.body(), 10));
		assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 0-9/" + full.body().length);
		HttpResponse<byte[]> tail = get(url, "bytes=-5");
		assertThat(tail.statusCode()).isEqualTo(206);
		assertThat(tail.body()).hasSize(5);
	}

	@Test
	void tamperedExpiredAndRetargetedUrlsAre403() throws Exception {
		TestUser user = register();
		UUID first = generated(user, "ok:tamper-1");
		UUID second = generated(user, "ok:tamper-2");
		String url = http.get("/assets/" + first, user.token()).json().get("url").asString();
		assertThat(get(url, null).statusCode()).isEqualTo(200);

		String sig = url.substring(url.indexOf("sig=") + 4);
		String flipped = (sig.charAt(0) == 'a' ? 'b' : 'a') + sig.substring(1);
		assertThat(get(url.replace(sig, flipped), null).statusCode()).isEqualTo(403);
		assertThat(get(url.replace(first.toString(), second.toString()), null).statusCode()).isEqualTo(403);
		TestUser other = register();
		assertThat(get(url.replace(user.workspaceId().toString(), other.workspaceId().toString()), null).statusCode())
			.isEqualTo(403);
		String expiresParam = url.replaceAll(".*expires=(\\d+).*", "$1");
		assertThat(get(url.replace("expires=" + expiresParam, "expires=" + (Long.parseLong(expiresParam) + 3600)), null)
			.statusCode()).isEqualTo(403);

		// A URL correctly signed with the server's key but already expired.
		byte[] secret = db.sql("SELECT secret FROM shared_secrets WHERE name = 'url'").query(byte[].class).single();
		long past = Instant.now().minusSeconds(5).getEpochSecond();
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret, "HmacSHA256"));
		String pastSig = HexFormat.of().formatHex(mac.doFinal(("asset-url|" + first + "|" + user.workspaceId() + "|" + past)
			.getBytes(StandardCharsets.UTF_8)));
		HttpResponse<byte[]> expired = get("/assets/" + first + "/content?w=" + user.workspaceId() + "&expires=" + past
				+ "&sig=" + pastSig, null);
		assertThat(expired.statusCode()).isEqualTo(403);
		assertThat(new String(expired.body(), StandardCharsets.UTF_8)).contains("url_expired");
		assertThat(get("/assets/" + first + "/content?w=" + user.workspaceId() + "&expires=abc&sig=x", null).statusCode())
			.isEqualTo(400);
	}

	@Test
	void assetsOfOtherWorkspacesAreNotFound() {
		TestUser owner = register();
		UUID asset = generated(owner, "ok:private-asset");
		TestUser stranger = register();
		http.get("/assets/" + asset, stranger.token()).assertProblem(404, "asset_not_found");
	}

	@Test
	void uploadsAreSniffedSizedAndNamedSafely() throws Exception {
		TestUser user = register();
		Http.Response png = upload(user, "../../etc/evil\u0001.png", png(), "image/jpeg");
		png.assertStatus(201);
		assertThat(png.json().get("type").asString()).isEqualTo("upload");
		assertThat(png.json().get("mimeType").asString()).isEqualTo("image/png");
		assertThat(png.json().get("name").asString()).isEqualTo("evil.png");
		assertThat(png.json().get("cost").asLong()).isZero();
		assertThat(get(png.json().get("url").asString(), null).statusCode()).isEqualTo(200);
		assertThat(Files.exists(dataDirectory.root().getParent().resolve("etc"))).isFalse();

		upload(user, "notes.png", "just text, not an image".getBytes(StandardCharsets.UTF_8), "image/png")
			.assertProblem(422, "unsupported_upload_type");
		upload(user, "big.png", new byte[21 * 1024 * 1024], "image/png").assertProblem(413, "payload_too_large");
		TestUser stranger = register();
		Http.Response foreign = upload(stranger, user, "x.png", png());
		foreign.assertProblem(404, "workspace_not_found");
	}

	/** A 600-byte JPEG declaring 46000x46000 once cost 8 s of CPU each time it was manifested. */
	@Test
	void uploadsDeclaringMorePixelsThanTheLimitAreRefusedByTheirHeader() {
		TestUser user = register();
		for (byte[] bomb : List.of(TinyImages.jpeg(46_000, 46_000, 0), TinyImages.png(16_000, 16_000))) {
			long started = System.nanoTime();
			Http.Response refused = upload(user, "bomb.png", bomb, "image/png");
			refused.assertProblem(422, "image_too_large");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
			assertThat(refused.json().get("detail").asString()).contains("40000000", "PHORK_MAX_IMAGE_PIXELS");
		}
		upload(user, "cut.jpg", java.util.Arrays.copyOf(TinyImages.jpeg(640, 480, 0), 30), "image/jpeg")
			.assertProblem(422, "unreadable_image");
		upload(user, "fits.jpg", TinyImages.jpeg(6_000, 6_000, 0), "image/jpeg").assertStatus(201);
		assertThat(db.sql("SELECT count(*) FROM assets WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single()).isEqualTo(1);
	}

	private UUID generated(TestUser user, String prompt) {
		UUID jobId = submit(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"" + prompt
				+ "\",\"provider\":\"scripted\"}").uuid("id");
		return UUID.fromString(awaitJob(user, jobId).get("resultAssetId").asString());
	}

	private Http.Response upload(TestUser user, String filename, byte[] content, String contentType) {
		return multipart(user.token(), user.workspaceId(), filename, content, contentType);
	}

	private Http.Response upload(TestUser caller, TestUser owner, String filename, byte[] content) {
		return multipart(caller.token(), owner.workspaceId(), filename, content, "image/png");
	}

	private Http.Response multipart(String token, UUID workspaceId, String filename, byte[] content, String contentType) {
		String boundary = "----phork" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"workspaceId\"\r\n\r\n" + workspaceId
				+ "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		body.writeBytes(content);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/assets/uploads"))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
				.build();
			return new Http.Response(RAW.send(request, HttpResponse.BodyHandlers.ofString()), json);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private HttpResponse<byte[]> get(String pathAndQuery, String range) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
			.timeout(Duration.ofSeconds(20));
		if (range != null) {
			request.header("Range", range);
		}
		try {
			return RAW.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] png() throws Exception {
		BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
		image.setRGB(3, 3, 0xFF00FF);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

}
