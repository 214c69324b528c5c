package dev.phork.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Bytes no asset references are deleted after the grace period; referenced and fresh ones stay. */
class BlobSweeperTest extends ApiTest {

	@Autowired
	AssetService assets;

	@Autowired
	BlobSweeper sweeper;

	@Autowired
	BlobStore blobs;

	@Test
	void unreferencedBlobsOlderThanTheGraceAreSwept() throws Exception {
		Path orphanFile = Files.createTempFile("orphan", ".bin");
		Files.writeString(orphanFile, "orphan " + UUID.randomUUID());
		Path freshFile = Files.createTempFile("fresh", ".bin");
		Files.writeString(freshFile, "fresh " + UUID.randomUUID());
		Blob orphan = assets.store(orphanFile);
		Blob fresh = assets.store(freshFile);
		TestUser user = register();
		UUID jobId = submit(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"prompt\":\"ok:kept\",\"provider\":\"scripted\"}").uuid("id");
		UUID assetId = UUID.fromString(awaitJob(user, jobId).get("resultAssetId").asString());
		String kept = db.sql("SELECT sha256 FROM assets WHERE id = :id").param("id", assetId).query(String.class).single();
		db.sql("UPDATE blobs SET touched_at = now() - interval '2 hours' WHERE sha256 IN (:a, :b)")
			.param("a", orphan.sha256()).param("b", kept).update();

		assertThat(sweeper.sweep()).isGreaterThanOrEqualTo(1);

		assertThat(Files.exists(blobs.localFile(orphan.sha256()))).isFalse();
		assertThat(count(orphan.sha256())).isZero();
		assertThat(Files.exists(blobs.localFile(kept))).isTrue();
		assertThat(Files.exists(blobs.localFile(fresh.sha256()))).isTrue();
		assertThat(count(fresh.sha256())).isEqualTo(1);
	}

	private long count(String sha256) {
		return db.sql("SELECT count(*) FROM blobs WHERE sha256 = :s").param("s", sha256).query(Long.class).single();
	}

}
