package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A scene's keyframe must be a picture, its clip a video and its sound audio: an uploaded PNG
 * committed as a clip was rendered, charged, as a one-frame video.
 */
class AssetKindTest extends ApiTest {

	@Test
	void eachSceneFieldTakesOnlyItsKindOfAsset() throws Exception {
		TestUser user = register();
		UUID project = createProject(user, "kinds", "private");
		UUID image = generated(user, "gen-image", "\"prompt\":\"ok:kind-image\"");
		UUID video = generated(user, "gen-video", "\"prompt\":\"ok:kind-video\"");
		UUID audio = generated(user, "gen-audio", "\"text\":\"ok:kind-audio\"");
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png", png);
		UUID upload = http.upload(user.token(), user.workspaceId(), "ref.png", png.toByteArray()).assertStatus(201)
			.uuid("id");

		refused(user, project, "{\"videoAssetId\":\"" + upload + "\"}", "timeline.scenes[0].videoAssetId");
		refused(user, project, "{\"videoAssetId\":\"" + image + "\"}", "timeline.scenes[0].videoAssetId");
		refused(user, project, "{\"audioAssetId\":\"" + video + "\"}", "timeline.scenes[0].audioAssetId");
		refused(user, project, "{\"keyframeAssetId\":\"" + audio + "\"}", "timeline.scenes[0].keyframeAssetId");
		Http.Response two = http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"m\",\"timeline\":{\"scenes\":[{\"prompt\":\"ok\"},{\"videoAssetId\":\"" + audio
						+ "\",\"audioAssetId\":\"" + image + "\"}]}}")
			.assertProblem(400, "wrong_asset_kind");
		assertThat(two.json().get("errors").toString()).contains("timeline.scenes[1].videoAssetId",
				"timeline.scenes[1].audioAssetId");
		assertThat(db.sql("SELECT count(*) FROM commits WHERE project_id = :p").param("p", project).query(Long.class)
			.single()).isEqualTo(1);

		commit(user, project, "right kinds", "[{\"keyframeAssetId\":\"" + upload + "\",\"videoAssetId\":\"" + video
				+ "\",\"audioAssetId\":\"" + audio + "\"},{\"keyframeAssetId\":\"" + image + "\"}]");
	}

	private void refused(TestUser user, UUID project, String scene, String field) {
		Http.Response response = http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"m\",\"timeline\":{\"scenes\":[" + scene + "]}}")
			.assertProblem(400, "wrong_asset_kind");
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
	}

	private UUID generated(TestUser user, String type, String fields) {
		UUID job = submit(user, type, "{\"workspaceId\":\"" + user.workspaceId() + "\"," + fields
				+ ",\"provider\":\"scripted\"}").assertStatus(201).uuid("id");
		return UUID.fromString(awaitJob(user, job).get("resultAssetId").asString());
	}

}
