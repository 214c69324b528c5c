package dev.phork.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import dev.phork.TinyImages;
import dev.phork.assets.AssetRecord;
import dev.phork.assets.AssetService;
import dev.phork.assets.AssetType;
import dev.phork.assets.Blob;
import dev.phork.assets.MintCommand;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Manifesting reference pictures without letting one user's pictures take the server: each picture
 * is measured by its header and refused above the pixel limit, analysed once, outside any
 * transaction, and a request names each picture once.
 */
class ReferenceAnalysisTest extends ApiTest {

	@Autowired
	AssetService assets;

	@Autowired
	TransactionTemplate tx;

	@Test
	void aManifestRefusesByItsHeaderAReferenceOverThePixelLimit() {
		TestUser user = register();
		UUID project = createProject(user, "bombs", "private");
		UUID head = head(user, project);
		UUID bomb = uploadedBeforeTheLimit(user, TinyImages.jpeg(46_000, 46_000, 0));

		long started = System.nanoTime();
		Http.Response refused = http.post("/projects/" + project + "/registry/uploads", user.token(),
				"{\"assetIds\":[\"" + bomb + "\"]}");

		refused.assertProblem(422, "image_too_large");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		assertThat(refused.json().get("maxPixels").asLong()).isEqualTo(40_000_000);
		assertThat(refused.json().get("detail").asString()).contains("46000x46000", "PHORK_MAX_IMAGE_PIXELS");
		assertThat(head(user, project)).isEqualTo(head);
	}

	@Test
	void aForkRefusesNewUploadsOverThePixelLimitAndIsNotMade() throws Exception {
		TestUser user = register();
		UUID source = createProject(user, "source", "private");
		http.post("/projects/" + source + "/registry/entries", user.token(), "{\"kind\":\"character\",\"name\":\"Anna\"}")
			.assertStatus(201);
		UUID bomb = uploadedBeforeTheLimit(user, TinyImages.png(16_000, 16_000));

		long started = System.nanoTime();
		http.post("/projects/" + source + "/fork", user.token(), "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"edits\":{\"assetChanges\":{\"newUploads\":[\"" + upload(user, picture(Color.RED)) + "\",\"" + bomb
				+ "\"]}}}")
			.assertProblem(422, "image_too_large");

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(db.sql("SELECT count(*) FROM projects WHERE parent_project_id = :p").param("p", source)
			.query(Long.class).single()).isZero();
		assertThat(http.get("/projects/" + source, user.token()).json().get("forkCount").asLong()).isZero();
	}

	@Test
	void aRequestNamesEachPictureOnceAndAPictureIsDecodedOnlyOnce() throws Exception {
		TestUser user = register();
		UUID first = createProject(user, "first", "private");
		UUID second = createProject(user, "second", "private");
		UUID picture = upload(user, picture(Color.BLUE));

		JsonNode manifested = http.post("/projects/" + first + "/registry/uploads", user.token(),
				"{\"assetIds\":[\"" + picture + "\",\"" + picture + "\",\"" + picture + "\"]}").assertStatus(201).json();

		assertThat(manifested.get("entries")).hasSize(1);
		assertThat(http.get("/projects/" + first + "/registry", user.token()).json().get("items")).hasSize(1);
		AssetRecord asset = assets.find(picture).orElseThrow();
		Instant analysedAt = analysedAt(asset.sha256());
		// Were the picture decoded again, this would fail: its bytes are no longer a picture.
		Files.writeString(assets.localFile(asset), "no longer a picture");
		JsonNode again = http.post("/projects/" + second + "/registry/uploads", user.token(),
				"{\"assetIds\":[\"" + picture + "\"]}").assertStatus(201).json();
		assertThat(again.get("entries").get(0).get("description").asString())
			.isEqualTo(manifested.get("entries").get(0).get("description").asString());
		assertThat(analysedAt(asset.sha256())).isEqualTo(analysedAt);
	}

	/**
	 * While a manifest decodes its pictures, a commit to the same project goes through at once
	 * (before, the manifest held the project's row lock while decoding), and the manifest commits on
	 * top of it afterwards.
	 */
	@Test
	void aCommitIsNotHeldUpWhileAManifestAnalysesItsPictures() throws Exception {
		TestUser user = register();
		UUID project = createProject(user, "busy", "private");
		List<UUID> slow = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			slow.add(upload(user, TinyImages.jpeg(5_000, 5_000, i + 1)));
		}
		List<String> shas = slow.stream().map(id -> assets.find(id).orElseThrow().sha256()).toList();
		String ids = slow.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(","));

		CompletableFuture<Http.Response> manifest = CompletableFuture.supplyAsync(() -> http
			.post("/projects/" + project + "/registry/uploads", user.token(), "{\"assetIds\":[" + ids + "]}"));
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (analysed(shas) == 0 && !manifest.isDone() && System.nanoTime() < deadline) {
			sleep(10);
		}
		assertThat(analysed(shas)).as("the manifest is analysing").isBetween(1L, 4L);
		UUID commit = commit(user, project, "meanwhile", "[{\"prompt\":\"a quiet harbor\"}]");

		assertThat(manifest).as("the commit went through while the manifest was still analysing").isNotDone();
		JsonNode result = manifest.get().assertStatus(201).json();
		JsonNode manifestCommit = http.get("/projects/" + project + "/commits/" + result.get("commitId").asString(),
				user.token()).json();
		assertThat(manifestCommit.get("parentCommitId").asString()).isEqualTo(commit.toString());
		assertThat(result.get("entries")).hasSize(5);
	}

	@Test
	void animatingAPictureOverThePixelLimitIsRefusedOrFailsAndIsRefunded() {
		TestUser user = register();
		UUID bomb = uploadedBeforeTheLimit(user, TinyImages.png(16_000, 16_000));

		submit(user, "animate", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"imageAssetId\":\"" + bomb + "\"}")
			.assertProblem(422, "image_too_large");
		assertThat(balance(user.workspaceId())).isEqualTo(1000);

		UUID project = createProject(user, "pinned bomb", "private");
		commit(user, project, "pin it", "[{\"prompt\":\"a harbor\",\"keyframeAssetId\":\"" + bomb + "\"}]");
		JsonNode started = http.post("/projects/" + project + "/regenerate", user.token(), null).assertStatus(202).json();
		JsonNode animate = null;
		for (JsonNode job : started.get("jobs")) {
			if (job.get("type").asString().equals("animate")) {
				animate = job;
			}
		}
		assertThat(animate).as(started.toString()).isNotNull();
		UUID animateId = UUID.fromString(animate.get("id").asString());
		JsonNode failed = awaitJob(user, animateId);
		assertThat(failed.get("status").asString()).isEqualTo("failed");
		assertThat(failed.get("error").asString()).contains("PHORK_MAX_IMAGE_PIXELS");
		assertThat(db.sql("SELECT coalesce(sum(delta), 0) FROM credit_ledger WHERE job_id = :j").param("j", animateId)
			.query(Long.class).single()).isZero();
	}

	/**
	 * An asset whose picture is over the limit, as uploads made before the limit existed (or before
	 * an operator lowered it) are: minted straight from the bytes, as the upload endpoint did then.
	 */
	private UUID uploadedBeforeTheLimit(TestUser user, byte[] bytes) {
		try {
			Path file = Files.write(Files.createTempFile("phork-legacy-", ".bin"), bytes);
			Blob blob = assets.store(file);
			Files.deleteIfExists(file);
			String mime = bytes[0] == (byte) 0x89 ? "image/png" : "image/jpeg";
			return tx.execute(status -> assets.mint(new MintCommand(user.workspaceId(), AssetType.UPLOAD, blob, mime, null,
					"upload", "user", 0, null, "legacy", Map.of("kind", "upload"), user.userId()))).id();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private UUID upload(TestUser user, byte[] bytes) {
		return http.upload(user.token(), user.workspaceId(), "ref.png", bytes).assertStatus(201).uuid("id");
	}

	private static byte[] picture(Color colour) throws java.io.IOException {
		BufferedImage image = new BufferedImage(300, 400, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, 300, 400);
		g.setColor(colour);
		g.fillOval(60, 60, 180, (int) (System.nanoTime() % 100) + 160);
		g.dispose();
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		ImageIO.write(image, "png", png);
		return png.toByteArray();
	}

	private UUID head(TestUser user, UUID project) {
		return http.get("/projects/" + project, user.token()).uuid("headCommitId");
	}

	private long analysed(List<String> shas) {
		return db.sql("SELECT count(*) FROM reference_subjects WHERE sha256 IN (:shas)").param("shas", shas)
			.query(Long.class).single();
	}

	private Instant analysedAt(String sha256) {
		return db.sql("SELECT analyzed_at FROM reference_subjects WHERE sha256 = :sha").param("sha", sha256)
			.query(java.sql.Timestamp.class).single().toInstant();
	}

}
