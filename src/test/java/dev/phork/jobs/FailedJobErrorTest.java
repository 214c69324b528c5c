package dev.phork.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.assets.AssetRecord;
import dev.phork.assets.AssetService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A job that fails in FFmpeg says what failed in words its user can act on; FFmpeg's own output
 * (decoder names, memory addresses, server paths) goes to the server log only.
 */
class FailedJobErrorTest extends ApiTest {

	@Autowired
	AssetService assets;

	@Test
	void aRenderOfADamagedClipFailsInPlainWordsAndIsRefunded() throws Exception {
		TestUser user = register();
		UUID project = createProject(user, "damaged", "private");
		UUID clipJob = submit(user, "gen-video", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"a damaged clip "
				+ UUID.randomUUID() + "\",\"durationMs\":1000}").assertStatus(201).uuid("id");
		JsonNode clip = awaitJob(user, clipJob);
		assertThat(clip.get("status").asString()).isEqualTo("succeeded");
		AssetRecord asset = assets.find(UUID.fromString(clip.get("resultAssetId").asString())).orElseThrow();
		// The store's copy is damaged behind the server's back, as a failing disk would.
		Path blob = assets.localFile(asset);
		blob.toFile().setWritable(true);
		Files.write(blob, "not a video at all, just bytes".repeat(20).getBytes());
		UUID commit = commit(user, project, "damaged", "[{\"videoAssetId\":\"" + asset.id() + "\"}]");
		long before = balance(user.workspaceId());

		UUID render = submit(user, "render", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"projectId\":\"" + project
				+ "\",\"commitId\":\"" + commit + "\"}").assertStatus(201).uuid("id");
		JsonNode failed = awaitJob(user, render);

		assertThat(failed.get("status").asString()).isEqualTo("failed");
		String error = failed.get("error").asString();
		assertThat(error).contains("could not be read", "damaged");
		assertThat(error).doesNotContainPattern("0x[0-9a-f]+").doesNotContain("exit", "/", "Invalid data", "ffprobe");
		assertThat(balance(user.workspaceId())).isEqualTo(before).isEqualTo(ledgerSum(user.workspaceId()));
	}

}
