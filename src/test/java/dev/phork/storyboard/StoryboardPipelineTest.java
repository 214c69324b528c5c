package dev.phork.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import dev.phork.media.Ffmpeg;
import dev.phork.media.MediaInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Storyboards end to end on the local provider: a logline becomes a rendered storyboard, and forks
 * with edits regenerate exactly what the edit made stale (seed 004's rules, at a per-scene grain).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoryboardPipelineTest extends ApiTest {

	static final String LOGLINE = "Anna walks along the Harbor at dawn. The Harbor is quiet and grey. "
			+ "Anna finds an old lantern. The lantern glows as the sun rises.";

	@Autowired
	Ffmpeg ffmpeg;

	TestUser user;

	Base plain;

	Base continuous;

	record Base(UUID project, JsonNode head, JsonNode pipeline, long balanceAfter) {
	}

	@BeforeAll
	void generateTheBaseStoryboards() {
		client();
		user = register();
		plain = generate("Harbor", false);
		continuous = generate("Harbor, continuous", true);
	}

	@Test
	void aLoglineBecomesARenderedStoryboardWithTaggedScenes() throws Exception {
		JsonNode pipeline = plain.pipeline();
		assertThat(pipeline.get("status").asString()).isEqualTo("succeeded");
		assertThat(pipeline.get("progress").asDouble()).isEqualTo(1.0);
		List<String> stages = new ArrayList<>();
		pipeline.get("stages").forEach(s -> stages.add(s.get("name").asString() + ":" + s.get("status").asString()
				+ ":" + s.get("jobs").size()));
		assertThat(stages).containsExactly("storyboard:succeeded:0", "keyframes:succeeded:4", "clips:succeeded:4",
				"audio:succeeded:4", "render:succeeded:1");
		JsonNode scenes = plain.head().get("timeline").get("scenes");
		assertThat(scenes).hasSize(4);
		assertThat(tags(scenes.get(0))).containsExactly("CHAR_01", "LOC_01");
		assertThat(tags(scenes.get(1))).containsExactly("LOC_01");
		assertThat(tags(scenes.get(2))).containsExactly("CHAR_01");
		assertThat(tags(scenes.get(3))).isEmpty();
		scenes.forEach(scene -> {
			assertThat(scene.get("keyframeAssetId").isNull()).isFalse();
			assertThat(scene.get("videoAssetId").isNull()).isFalse();
			assertThat(scene.get("audioAssetId").isNull()).isFalse();
		});
		// 4 x (keyframe 3 + clip 20 + audio 5) + the render, priced by the scenes' length
		assertThat(1000 - plain.balanceAfter()).isEqualTo(4 * 28 + renderPrice(scriptedMs(scenes)));

		JsonNode plan = http.get("/projects/" + plain.project() + "/plan", user.token()).assertStatus(200).json();
		assertThat(plan.get("totalCost").asLong()).isZero();
		assertThat(plan.get("scenes").get(0).get("rewrittenPrompt").asString()).contains("CHAR_01 (Anna)")
			.contains("a young sailor in a red coat");

		UUID render = UUID.fromString(pipeline.get("versionId").isNull() ? "" : http.get("/projects/" + plain.project()
				+ "/versions", user.token()).json().get("items").get(0).get("renderAssetId").asString());
		MediaInfo info = probe(render);
		assertThat(info.hasVideo()).isTrue();
		assertThat(info.hasAudio()).isTrue();
		long scripted = scriptedMs(scenes);
		// Each clip is whole frames at 25 fps: within 40 ms of its scene's duration.
		assertThat(info.durationMs()).isBetween(scripted - 50, scripted + 4 * 40 + 50);
	}

	@Test
	void editingOneSceneRegeneratesExactlyItsKeyframeAndClipAndTheRender() {
		JsonNode scenes = plain.head().get("timeline").get("scenes");
		String second = scenes.get(1).get("id").asString();
		UUID fork = forkWithEdits(plain.project(), "{\"scenes\":{\"update\":[{\"id\":\"" + second
				+ "\",\"prompt\":\"The Harbor is loud and golden.\"}]}}");
		JsonNode plan = plan(fork);
		assertThat(states(plan)).containsExactly("inherited inherited inherited", "stale stale inherited",
				"inherited inherited inherited", "inherited inherited inherited");
		assertThat(reasons(plan, 1, 0)).contains("prompt changed");
		assertThat(reasons(plan, 1, 1)).contains("prompt changed", "upstream stale");
		assertThat(plan.get("render").get("state").asString()).isEqualTo("stale");
		// Three kept clips at their recorded (whole-frame) lengths, the new one at its scene's length.
		long renderMs = plan.get("render").get("durationMs").asLong();
		assertThat(renderMs).isBetween(scriptedMs(scenes) - 3 * 40 - 50, scriptedMs(scenes) + 3 * 40 + 50);
		long cost = 3 + 20 + renderPrice(renderMs);
		assertThat(plan.get("totalCost").asLong()).isEqualTo(cost);

		long before = balance(user.workspaceId());
		Http.Response started = http.post("/projects/" + fork + "/regenerate", user.token(), "{}").assertStatus(202);
		List<String> types = new ArrayList<>();
		started.json().get("jobs").forEach(job -> types.add(job.get("type").asString()));
		assertThat(types).containsExactlyInAnyOrder("gen_image", "animate", "render");
		assertThat(started.json().get("estimate").get("credits").asLong()).isEqualTo(cost);
		JsonNode pipeline = awaitPipeline(user, UUID.fromString(started.json().get("pipelineId").asString()));
		assertThat(pipeline.get("status").asString()).isEqualTo("succeeded");
		assertThat(before - balance(user.workspaceId())).isEqualTo(cost);
		assertThat(balance(user.workspaceId())).isEqualTo(ledgerSum(user.workspaceId()));

		JsonNode forkScenes = head(fork).get("timeline").get("scenes");
		for (int i = 0; i < 4; i++) {
			boolean edited = i == 1;
			assertThat(forkScenes.get(i).get("keyframeAssetId").equals(scenes.get(i).get("keyframeAssetId"))).isEqualTo(!edited);
			assertThat(forkScenes.get(i).get("videoAssetId").equals(scenes.get(i).get("videoAssetId"))).isEqualTo(!edited);
			assertThat(forkScenes.get(i).get("audioAssetId")).isEqualTo(scenes.get(i).get("audioAssetId"));
		}
		// The parent never changes.
		assertThat(head(plain.project()).get("id").asString()).isEqualTo(plain.head().get("id").asString());
		assertThat(plan(fork).get("totalCost").asLong()).isZero();
	}

	@Test
	void aStyleChangeMakesEverythingStale() {
		UUID fork = forkWithEdits(plain.project(), "{\"settings\":{\"style\":\"film noir\"}}");
		JsonNode plan = plan(fork);
		assertThat(states(plan)).containsOnly("stale stale stale");
		assertThat(reasons(plan, 0, 0)).contains("style changed");
		assertThat(plan.get("totalCost").asLong())
			.isEqualTo(4 * 28 + renderPrice(scriptedMs(plain.head().get("timeline").get("scenes"))));
	}

	@Test
	void editingARegistryEntryMakesExactlyTheScenesUsingItStale() {
		UUID fork = forkWithEdits(plain.project(),
				"{\"assetChanges\":{\"modified\":{\"CHAR_01\":{\"description\":\"an old sailor in a blue coat\"}}}}");
		JsonNode plan = plan(fork);
		assertThat(states(plan)).containsExactly("stale stale inherited", "inherited inherited inherited",
				"stale stale inherited", "inherited inherited inherited");
		assertThat(reasons(plan, 0, 0)).contains("entry CHAR_01 modified");
		assertThat(reasons(plan, 2, 0)).contains("entry CHAR_01 modified");
	}

	@Test
	void removingAnEntryDropsItsTagAndMakesThoseScenesStale() {
		UUID fork = forkWithEdits(plain.project(), "{\"assetChanges\":{\"removed\":[\"LOC_01\"]}}");
		JsonNode forkScenes = head(fork).get("timeline").get("scenes");
		assertThat(tags(forkScenes.get(0))).containsExactly("CHAR_01");
		assertThat(tags(forkScenes.get(1))).isEmpty();
		JsonNode plan = plan(fork);
		assertThat(states(plan)).containsExactly("stale stale inherited", "stale stale inherited",
				"inherited inherited inherited", "inherited inherited inherited");
		assertThat(reasons(plan, 1, 0)).contains("entry LOC_01 removed");
		assertThat(head(fork).get("timeline").get("registry")).hasSize(1);
	}

	@Test
	void newUploadsMakeNothingStaleAndContinueTheTagSequence() throws Exception {
		UUID upload = upload(Color.BLUE);
		UUID fork = forkWithEdits(plain.project(), "{\"assetChanges\":{\"newUploads\":[\"" + upload + "\"]}}");
		JsonNode registry = http.get("/projects/" + fork + "/registry", user.token()).json().get("items");
		List<String> tagList = new ArrayList<>();
		registry.forEach(e -> tagList.add(e.get("tag").asString()));
		assertThat(tagList).hasSize(3).contains("CHAR_01", "LOC_01");
		String added = tagList.get(2);
		assertThat(added).matches("(CHAR|OBJ|LOC)_0[12]").isNotIn("CHAR_01", "LOC_01");
		JsonNode plan = plan(fork);
		assertThat(plan.get("totalCost").asLong()).isZero();
		assertThat(plan.get("render").get("state").asString()).isEqualTo("inherited");
	}

	@Test
	void theSameCharacterUploadedTwiceLinksToItsExistingTag() throws Exception {
		UUID project = createProject(user, "uploads", "private");
		UUID first = upload(Color.RED);
		UUID again = upload(Color.RED);
		JsonNode one = http.post("/projects/" + project + "/registry/uploads", user.token(),
				"{\"assetIds\":[\"" + first + "\"]}").assertStatus(201).json();
		String tag = one.get("entries").get(0).get("tag").asString();
		JsonNode two = http.post("/projects/" + project + "/registry/uploads", user.token(),
				"{\"assetIds\":[\"" + again + "\"]}").assertStatus(201).json();
		assertThat(two.get("entries").get(0).get("linked").asBoolean()).isTrue();
		assertThat(two.get("entries").get(0).get("tag").asString()).isEqualTo(tag);
		assertThat(http.get("/projects/" + project + "/registry", user.token()).json().get("items")).hasSize(1);
	}

	@Test
	void concurrentRegistryChangesNeverRepeatATag() throws Exception {
		UUID project = createProject(user, "race", "private");
		List<java.util.concurrent.Future<Http.Response>> results = new ArrayList<>();
		try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 8; i++) {
				int n = i;
				results.add(pool.submit(() -> http.post("/projects/" + project + "/registry/entries", user.token(),
						"{\"kind\":\"character\",\"name\":\"Extra " + n + "\"}")));
			}
		}
		List<String> tags = new ArrayList<>();
		for (var result : results) {
			tags.add(result.get().assertStatus(201).json().get("entries").get(0).get("tag").asString());
		}
		assertThat(tags).doesNotHaveDuplicates().hasSize(8);
		assertThat(http.get("/projects/" + project + "/registry", user.token()).json().get("items")).hasSize(8);
	}

	@Test
	void deletingASceneMakesNothingElseStaleUnlessContinuityLinksThem() {
		String second = plain.head().get("timeline").get("scenes").get(1).get("id").asString();
		JsonNode plan = plan(forkWithEdits(plain.project(), "{\"scenes\":{\"delete\":[\"" + second + "\"]}}"));
		assertThat(states(plan)).containsOnly("inherited inherited inherited").hasSize(3);
		assertThat(plan.get("totalCost").asLong()).isEqualTo(renderPrice(plan.get("render").get("durationMs").asLong()));

		String secondContinuous = continuous.head().get("timeline").get("scenes").get(1).get("id").asString();
		JsonNode linked = plan(forkWithEdits(continuous.project(), "{\"scenes\":{\"delete\":[\"" + secondContinuous + "\"]}}"));
		assertThat(states(linked)).containsExactly("inherited inherited inherited", "stale stale inherited",
				"stale stale inherited");
		assertThat(reasons(linked, 1, 0)).contains("continuity");
	}

	@Test
	void withContinuityAPromptEditAlsoMakesLaterScenesStale() {
		String second = continuous.head().get("timeline").get("scenes").get(1).get("id").asString();
		JsonNode plan = plan(forkWithEdits(continuous.project(), "{\"scenes\":{\"update\":[{\"id\":\"" + second
				+ "\",\"prompt\":\"A storm hits the Harbor.\"}]}}"));
		assertThat(states(plan)).containsExactly("inherited inherited inherited", "stale stale inherited",
				"stale stale inherited", "stale stale inherited");
	}

	@Test
	void identicalInputsAreMemoizedNotPaidTwice() {
		String third = plain.head().get("timeline").get("scenes").get(2).get("id").asString();
		String edit = "{\"scenes\":{\"update\":[{\"id\":\"" + third + "\",\"prompt\":\"Anna drops the lantern.\"}]}}";
		UUID first = forkWithEdits(plain.project(), edit);
		UUID pipeline = UUID.fromString(http.post("/projects/" + first + "/regenerate", user.token(), "{}").assertStatus(202)
			.json().get("pipelineId").asString());
		assertThat(awaitPipeline(user, pipeline).get("status").asString()).isEqualTo("succeeded");
		JsonNode second = plan(forkWithEdits(plain.project(), edit));
		assertThat(states(second)).containsOnly("inherited inherited inherited");
		assertThat(reasons(second, 2, 0)).anyMatch(r -> r.startsWith("memoized"));
		assertThat(second.get("totalCost").asLong()).isZero();
	}

	@Test
	void memoizationOffersStrangersNothingOutsideTheProjectsHistory() {
		String fourth = plain.head().get("timeline").get("scenes").get(3).get("id").asString();
		String edit = "{\"scenes\":{\"update\":[{\"id\":\"" + fourth + "\",\"prompt\":\"The lantern shatters on the stones.\"}]}}";
		UUID hidden = forkWithEdits(plain.project(), edit);
		UUID pipeline = UUID.fromString(http.post("/projects/" + hidden + "/regenerate", user.token(), "{}").assertStatus(202)
			.json().get("pipelineId").asString());
		assertThat(awaitPipeline(user, pipeline).get("status").asString()).isEqualTo("succeeded");
		String hiddenKeyframe = head(hidden).get("timeline").get("scenes").get(3).get("keyframeAssetId").asString();
		// The owner publishes a fork with the same edit; the private fork's keyframe is not in its history.
		UUID open = http.post("/projects/" + plain.project() + "/fork", user.token(), "{\"workspaceId\":\""
				+ user.workspaceId() + "\",\"visibility\":\"public\",\"edits\":" + edit + "}").assertStatus(201).uuid("id");
		TestUser stranger = register();

		JsonNode strangersPlan = http.get("/projects/" + open + "/plan", stranger.token()).assertStatus(200).json();
		assertThat(strangersPlan.toString()).doesNotContain(hiddenKeyframe);
		assertThat(strangersPlan.get("scenes").get(3).get("artifacts").get(0).get("state").asString()).isEqualTo("stale");
		http.get("/projects/" + open + "/assets/" + hiddenKeyframe, stranger.token()).assertProblem(404, "asset_not_found");
		// The workspace's own members still reuse it at no cost.
		JsonNode ownersPlan = plan(open);
		assertThat(ownersPlan.get("scenes").get(3).get("artifacts").get(0).get("assetId").asString()).isEqualTo(hiddenKeyframe);
		assertThat(reasons(ownersPlan, 3, 0)).anyMatch(r -> r.startsWith("memoized"));
	}

	@Test
	void assetChangesNeedARegistryAndEditsAreValidated() {
		UUID bare = createProject(user, "no registry", "private");
		http.post("/projects/" + bare + "/fork", user.token(), "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"edits\":{\"assetChanges\":{\"removed\":[\"CHAR_01\"]}}}").assertProblem(422, "no_registry");
		http.post("/projects/" + plain.project() + "/fork", user.token(), "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"edits\":{\"scenes\":{\"delete\":[\"" + UUID.randomUUID() + "\"]}}}").assertProblem(422, "unknown_scene");
		http.post("/projects/" + plain.project() + "/fork", user.token(), "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"edits\":{\"assetChanges\":{\"modified\":{\"CHAR_09\":{\"name\":\"x\"}}}}}").assertProblem(422, "unknown_tag");
	}

	@Test
	void diffShowsSceneAndRegistryChanges() {
		String second = plain.head().get("timeline").get("scenes").get(1).get("id").asString();
		UUID fork = forkWithEdits(plain.project(), "{\"scenes\":{\"update\":[{\"id\":\"" + second
				+ "\",\"prompt\":\"changed\"}]},\"assetChanges\":{\"removed\":[\"LOC_01\"]}}");
		String from = plain.head().get("id").asString();
		String to = head(fork).get("id").asString();
		JsonNode diff = http.get("/projects/" + fork + "/diff?from=" + from + "&to=" + to, user.token()).assertStatus(200).json();
		assertThat(diff.get("registry").get("removed").get(0).asString()).isEqualTo("LOC_01");
		assertThat(diff.get("scenes").get("modified").toString()).contains(second).contains("prompt").contains("assetTags");
	}

	@Test
	void pipelineProgressStreamsAsServerSentEvents() throws Exception {
		String fourth = plain.head().get("timeline").get("scenes").get(3).get("id").asString();
		UUID fork = forkWithEdits(plain.project(), "{\"scenes\":{\"update\":[{\"id\":\"" + fourth
				+ "\",\"prompt\":\"The lantern goes out.\"}]}}");
		String pipeline = http.post("/projects/" + fork + "/regenerate", user.token(), "{}").assertStatus(202).json()
			.get("pipelineId").asString();
		HttpResponse<String> events = HttpClient.newHttpClient().send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + port + "/pipelines/" + pipeline + "/events"))
			.header("Authorization", "Bearer " + user.token())
			.timeout(java.time.Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(events.statusCode()).isEqualTo(200);
		assertThat(events.body()).contains("event:progress").contains("event:done").contains("\"status\":\"succeeded\"");
	}

	@Test
	void aDryRunEstimatesAndChargesNothing() {
		UUID project = createProject(user, "estimate", "private");
		long before = balance(user.workspaceId());
		JsonNode estimate = http.post("/projects/" + project + "/generate?dryRun=true", user.token(),
				"{\"logline\":\"One. Two. Three.\"}").assertStatus(200).json();
		assertThat(estimate.get("estimate").get("credits").asLong()).isEqualTo(3 * 28 + 15);
		assertThat(estimate.get("jobs")).isEmpty();
		assertThat(balance(user.workspaceId())).isEqualTo(before);
	}

	/** The default render price: 1 credit per second of output, rounded up, at least 15. */
	private static long renderPrice(long durationMs) {
		return Math.max(15, Math.ceilDiv(durationMs, 1000));
	}

	private static long scriptedMs(JsonNode scenes) {
		long total = 0;
		for (JsonNode scene : scenes) {
			total += scene.get("durationMs").asLong();
		}
		return total;
	}

	private Base generate(String name, boolean continuity) {
		UUID project = createProject(user, name, "private");
		http.post("/projects/" + project + "/registry/entries", user.token(),
				"{\"kind\":\"character\",\"name\":\"Anna\",\"description\":\"a young sailor in a red coat\"}").assertStatus(201);
		http.post("/projects/" + project + "/registry/entries", user.token(),
				"{\"kind\":\"location\",\"name\":\"Harbor\",\"description\":\"an old stone harbor\"}").assertStatus(201);
		Http.Response started = http.post("/projects/" + project + "/generate", user.token(), "{\"logline\":\"" + LOGLINE
				+ "\",\"sceneCount\":4,\"settings\":{\"style\":\"watercolor\",\"continuity\":" + continuity + "}}").assertStatus(202);
		assertThat(started.json().get("jobs")).hasSize(13);
		JsonNode pipeline = awaitPipeline(user, UUID.fromString(started.json().get("pipelineId").asString()));
		assertThat(pipeline.get("status").asString()).as(pipeline.toString()).isEqualTo("succeeded");
		return new Base(project, head(project), pipeline, balance(user.workspaceId()));
	}

	private UUID forkWithEdits(UUID project, String edits) {
		return http.post("/projects/" + project + "/fork", user.token(), "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"edits\":" + edits + "}").assertStatus(201).uuid("id");
	}

	private JsonNode head(UUID project) {
		String head = http.get("/projects/" + project, user.token()).json().get("headCommitId").asString();
		return http.get("/projects/" + project + "/commits/" + head, user.token()).assertStatus(200).json();
	}

	private JsonNode plan(UUID project) {
		return http.get("/projects/" + project + "/plan", user.token()).assertStatus(200).json();
	}

	private static List<String> states(JsonNode plan) {
		List<String> states = new ArrayList<>();
		plan.get("scenes").forEach(scene -> {
			List<String> parts = new ArrayList<>();
			scene.get("artifacts").forEach(a -> parts.add(a.get("state").asString()));
			states.add(String.join(" ", parts));
		});
		return states;
	}

	private static List<String> reasons(JsonNode plan, int scene, int artifact) {
		List<String> reasons = new ArrayList<>();
		plan.get("scenes").get(scene).get("artifacts").get(artifact).get("reasons").forEach(r -> reasons.add(r.asString()));
		return reasons;
	}

	private static List<String> tags(JsonNode scene) {
		List<String> tags = new ArrayList<>();
		if (scene.get("assetTags") != null && !scene.get("assetTags").isNull()) {
			scene.get("assetTags").forEach(t -> tags.add(t.asString()));
		}
		return tags;
	}

	private UUID upload(java.awt.Color colour) throws Exception {
		java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(300, 400, java.awt.image.BufferedImage.TYPE_INT_RGB);
		java.awt.Graphics2D g = image.createGraphics();
		g.setColor(java.awt.Color.WHITE);
		g.fillRect(0, 0, 300, 400);
		g.setColor(colour);
		g.fillOval(60, 60, 180, 260);
		g.dispose();
		java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
		javax.imageio.ImageIO.write(image, "png", png);
		String boundary = "b" + UUID.randomUUID();
		java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"workspaceId\"\r\n\r\n" + user.workspaceId()
				+ "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ref.png\"\r\n"
				+ "Content-Type: image/png\r\n\r\n").getBytes());
		body.writeBytes(png.toByteArray());
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes());
		HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + port + "/assets/uploads"))
			.header("Authorization", "Bearer " + user.token())
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return UUID.fromString(json.readTree(response.body()).get("id").asString());
	}

	private MediaInfo probe(UUID assetId) throws Exception {
		String url = http.get("/assets/" + assetId, user.token()).json().get("url").asString();
		Path file = Files.createTempFile("phork-storyboard-", ".mp4");
		HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + url)).build(),
				HttpResponse.BodyHandlers.ofFile(file));
		try {
			return ffmpeg.probe(file);
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	private static final class Color {

		static final java.awt.Color RED = java.awt.Color.RED;

		static final java.awt.Color BLUE = java.awt.Color.BLUE;

	}

}
