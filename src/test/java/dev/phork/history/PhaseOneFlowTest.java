package dev.phork.history;

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
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The seed's Phase 1 end to end on the real local provider and FFmpeg: three shots and an audio
 * line, commit, render (checked with ffprobe), the closed ecosystem, fork, regenerate one shot,
 * render the fork, and exact credit arithmetic.
 */
class PhaseOneFlowTest extends ApiTest {

	@Autowired
	Ffmpeg ffmpeg;

	@Test
	void generateCommitRenderForkRegenerateRender() throws Exception {
		TestUser user = register();
		UUID project = createProject(user, "E2E Demo: City at Night", "private");
		UUID[] shots = new UUID[3];
		for (int i = 0; i < 3; i++) {
			shots[i] = asset(user, job(user, "gen-video", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"projectId\":\""
					+ project + "\",\"prompt\":\"city at night, shot " + (i + 1) + "\"}"));
		}
		UUID line = asset(user, job(user, "gen-audio", "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"text\":\"The city never sleeps.\"}"));
		JsonNode video = http.get("/assets/" + shots[0], user.token()).json();
		assertThat(video.get("type").asString()).isEqualTo("video");
		assertThat(video.get("durationMs").asLong()).isBetween(4400L, 4600L);
		assertThat(video.get("provider").asString()).isEqualTo("local");

		String scenes = "[{\"prompt\":\"shot 1\",\"videoAssetId\":\"" + shots[0] + "\",\"audioAssetId\":\"" + line
				+ "\"},{\"prompt\":\"shot 2\",\"videoAssetId\":\"" + shots[1] + "\"},{\"prompt\":\"shot 3\",\"videoAssetId\":\""
				+ shots[2] + "\"}]";
		UUID commit = commit(user, project, "three shots", scenes);

		// [3] Closed ecosystem: an asset that was never minted is refused, naming the mint receipt.
		Http.Response fake = http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"fake\",\"timeline\":{\"scenes\":[{\"videoAssetId\":\"" + UUID.randomUUID() + "\"}]}}");
		fake.assertProblem(400, "invalid_asset_reference");
		assertThat(fake.json().get("detail").asString()).contains("mint receipt");

		UUID render = job(user, "render", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"projectId\":\"" + project + "\"}");
		UUID renderAsset = asset(user, render);
		MediaInfo rendered = probe(user, renderAsset);
		assertThat(rendered.hasVideo()).isTrue();
		assertThat(rendered.hasAudio()).isTrue();
		assertThat(rendered.durationMs()).isBetween(13_400L, 13_600L);
		JsonNode versions = http.get("/projects/" + project + "/versions", user.token()).assertStatus(200).json();
		assertThat(versions.get("items")).hasSize(1);
		assertThat(versions.get("items").get(0).get("commitId").asString()).isEqualTo(commit.toString());
		assertThat(versions.get("items").get(0).get("renderAssetId").asString()).isEqualTo(renderAsset.toString());

		// Fork, regenerate shot 2 in the fork, render the fork.
		UUID fork = fork(user, project);
		UUID newShot = asset(user, job(user, "gen-video", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"projectId\":\""
				+ fork + "\",\"prompt\":\"city at dawn, shot 2\",\"durationMs\":4500}"));
		JsonNode forkHead = http.get("/projects/" + fork + "/commits/" + commit, user.token()).assertStatus(200).json();
		JsonNode sceneList = forkHead.get("timeline").get("scenes");
		String forkScenes = "[{\"id\":\"" + sceneList.get(0).get("id").asString() + "\",\"videoAssetId\":\"" + shots[0]
				+ "\",\"audioAssetId\":\"" + line + "\"},{\"id\":\"" + sceneList.get(1).get("id").asString()
				+ "\",\"prompt\":\"dawn\",\"videoAssetId\":\"" + newShot + "\"},{\"id\":\"" + sceneList.get(2).get("id").asString()
				+ "\",\"videoAssetId\":\"" + shots[2] + "\"}]";
		commit(user, fork, "fork: new shot 2", forkScenes);
		UUID forkRender = asset(user, job(user, "render", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"projectId\":\""
				+ fork + "\"}"));
		assertThat(probe(user, forkRender).durationMs()).isBetween(13_400L, 13_600L);

		// The original is untouched.
		JsonNode original = http.get("/projects/" + project, user.token()).json();
		assertThat(original.get("headCommitId").asString()).isEqualTo(commit.toString());
		JsonNode originalHead = http.get("/projects/" + project + "/commits/" + commit, user.token()).json();
		assertThat(originalHead.get("timeline").get("scenes").get(1).get("videoAssetId").asString())
			.isEqualTo(shots[1].toString());

		// 1000 - (3 x 25 + 5 + 15) - (25 + 15) = 865, and the ledger agrees.
		assertThat(balance(user.workspaceId())).isEqualTo(865).isEqualTo(ledgerSum(user.workspaceId()));
		assertThat(db.sql("SELECT count(*) FROM credit_ledger WHERE workspace_id = :w AND reason = 'job_debit'")
			.param("w", user.workspaceId()).query(Long.class).single()).isEqualTo(7);
	}

	@Test
	void aForkMayUseInheritedAssetsButNobodyMayUseForeignOnes() {
		TestUser owner = register();
		TestUser other = register();
		UUID project = createProject(owner, "public original", "public");
		UUID image = asset(owner, job(owner, "gen-image", "{\"workspaceId\":\"" + owner.workspaceId()
				+ "\",\"prompt\":\"ok:inherit\",\"provider\":\"scripted\"}"));
		UUID unused = asset(owner, job(owner, "gen-image", "{\"workspaceId\":\"" + owner.workspaceId()
				+ "\",\"prompt\":\"ok:unused\",\"provider\":\"scripted\"}"));
		commit(owner, project, "keyframe", "[{\"keyframeAssetId\":\"" + image + "\"}]");

		UUID fork = fork(other, project);
		commit(other, fork, "reuse inherited", "[{\"keyframeAssetId\":\"" + image + "\",\"prompt\":\"mine\"}]");
		Http.Response foreign = http.post("/projects/" + fork + "/commits", other.token(),
				"{\"message\":\"steal\",\"timeline\":{\"scenes\":[{\"keyframeAssetId\":\"" + unused + "\"}]}}");
		foreign.assertProblem(400, "invalid_asset_reference");
		assertThat(foreign.json().get("detail").asString()).contains("mint receipt");
		UUID own = createProject(other, "unrelated", "private");
		http.post("/projects/" + own + "/commits", other.token(),
				"{\"message\":\"steal\",\"timeline\":{\"scenes\":[{\"keyframeAssetId\":\"" + image + "\"}]}}")
			.assertProblem(400, "invalid_asset_reference");

		// The fork's members read the inherited asset through the fork, with a URL for their workspace.
		JsonNode viaFork = http.get("/projects/" + fork + "/assets/" + image, other.token()).assertStatus(200).json();
		assertThat(viaFork.get("url").asString()).contains("w=" + other.workspaceId());
		http.get("/projects/" + fork + "/assets/" + unused, other.token()).assertProblem(404, "asset_not_found");
		http.get("/assets/" + image, other.token()).assertProblem(404, "asset_not_found");
	}

	@Test
	void aForgedReceiptIsRefused() {
		TestUser user = register();
		UUID project = createProject(user, "forged", "private");
		UUID image = asset(user, job(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"prompt\":\"ok:forged\",\"provider\":\"scripted\"}"));
		// Someone with database access rewrites a receipt (assets are immutable, so triggers must be off).
		org.springframework.transaction.support.TransactionTemplate tx = new org.springframework.transaction.support.TransactionTemplate(
				transactionManager);
		tx.executeWithoutResult(s -> {
			db.sql("ALTER TABLE assets DISABLE TRIGGER USER").update();
			db.sql("UPDATE assets SET mint_receipt = 'forged' WHERE id = :id").param("id", image).update();
			db.sql("ALTER TABLE assets ENABLE TRIGGER USER").update();
		});
		Http.Response refused = http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"x\",\"timeline\":{\"scenes\":[{\"keyframeAssetId\":\"" + image + "\"}]}}");
		refused.assertProblem(400, "invalid_asset_reference");
		assertThat(refused.json().get("detail").asString()).contains("mint receipt");
	}

	@Autowired
	org.springframework.transaction.PlatformTransactionManager transactionManager;

	@Test
	void aFailedRenderIsRefundedAndLeavesNoVersion() throws Exception {
		TestUser user = register();
		UUID project = createProject(user, "doomed render", "private");
		UUID shot = asset(user, job(user, "gen-video", "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"prompt\":\"a shot whose bytes will vanish\",\"durationMs\":1000}"));
		commit(user, project, "one shot", "[{\"videoAssetId\":\"" + shot + "\"}]");
		String sha = db.sql("SELECT sha256 FROM assets WHERE id = :id").param("id", shot).query(String.class).single();
		java.nio.file.Path blob = dataDirectory.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4))
			.resolve(sha);
		java.nio.file.Files.write(blob, "not a video any more".getBytes());
		long before = balance(user.workspaceId());
		UUID render = submit(user, "render", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"projectId\":\"" + project
				+ "\"}").assertStatus(201).uuid("id");
		JsonNode failed = awaitJob(user, render);
		assertThat(failed.get("status").asString()).isEqualTo("failed");
		assertThat(balance(user.workspaceId())).isEqualTo(before).isEqualTo(ledgerSum(user.workspaceId()));
		assertThat(http.get("/projects/" + project + "/versions", user.token()).json().get("items")).isEmpty();
		assertThat(db.sql("SELECT count(*) FROM project_versions WHERE project_id = :p").param("p", project)
			.query(Long.class).single()).isZero();
	}

	@Autowired
	dev.phork.common.DataDirectory dataDirectory;

	private UUID job(TestUser user, String type, String body) {
		Http.Response response = submit(user, type, body).assertStatus(201);
		return response.uuid("id");
	}

	private UUID asset(TestUser user, UUID jobId) {
		JsonNode job = awaitJob(user, jobId);
		assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("succeeded");
		return UUID.fromString(job.get("resultAssetId").asString());
	}

	private MediaInfo probe(TestUser user, UUID assetId) throws Exception {
		String url = http.get("/assets/" + assetId, user.token()).json().get("url").asString();
		Path file = Files.createTempFile("phork-render-", ".mp4");
		HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + url)).build(),
					HttpResponse.BodyHandlers.ofFile(file));
		try {
			return ffmpeg.probe(file);
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

}
