package dev.phork.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.assets.AssetService;
import dev.phork.media.Ffmpeg;
import dev.phork.media.MediaInfo;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code settings.aspect} shapes what a storyboard makes: its keyframes, its clips and its render
 * come out in that frame (probed with ffprobe), and a render of a committed storyboard keeps it.
 */
class AspectTest extends ApiTest {

	@Autowired
	AssetService assets;

	@Autowired
	Ffmpeg ffmpeg;

	@Test
	void anUprightStoryboardIsUprightFromKeyframeToRender() {
		TestUser user = register();
		UUID project = createProject(user, "upright", "private");
		UUID pipeline = http.post("/projects/" + project + "/generate", user.token(),
				"{\"logline\":\"a lighthouse keeper climbs the stairs\",\"sceneCount\":1,\"settings\":{\"aspect\":\"9:16\"}}")
			.assertStatus(202).uuid("pipelineId");
		JsonNode done = awaitPipeline(user, pipeline);
		assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("succeeded");
		JsonNode head = http.get("/projects/" + project + "/commits", user.token()).json().get("items").get(0);
		JsonNode scene = head.get("timeline").get("scenes").get(0);
		assertFrame(scene.get("keyframeAssetId").asString(), 360, 640);
		assertFrame(scene.get("videoAssetId").asString(), 360, 640);
		String render = http.get("/projects/" + project + "/versions", user.token()).json().get("items").get(0)
			.get("renderAssetId").asString();
		assertFrame(render, 360, 640);

		UUID again = submit(user, "render", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"projectId\":\"" + project
				+ "\"}").assertStatus(201).uuid("id");
		JsonNode rendered = awaitJob(user, again);
		assertThat(rendered.get("status").asString()).as(rendered.toString()).isEqualTo("succeeded");
		assertFrame(rendered.get("resultAssetId").asString(), 360, 640);
	}

	private void assertFrame(String assetId, int width, int height) {
		MediaInfo info = ffmpeg.probe(assets.localFile(assets.find(UUID.fromString(assetId)).orElseThrow()));
		assertThat(info.width()).as(assetId).isEqualTo(width);
		assertThat(info.height()).as(assetId).isEqualTo(height);
	}

}
