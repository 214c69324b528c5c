package dev.phork.assets;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes blobs no asset references (an upload or a job whose transaction rolled back) once they are
 * older than the grace period. The row goes first, under the same conditions, so a blob that was
 * touched again meanwhile is kept.
 */
@Component
class BlobSweeper {

	private static final Logger log = LoggerFactory.getLogger(BlobSweeper.class);

	private final Assets assets;

	private final BlobStore blobs;

	private final AssetSettings settings;

	BlobSweeper(Assets assets, BlobStore blobs, AssetSettings settings) {
		this.assets = assets;
		this.blobs = blobs;
		this.settings = settings;
	}

	@Scheduled(fixedDelayString = "${phork.assets.sweep-interval:PT10M}", initialDelayString = "PT1M")
	int sweep() {
		int deleted = 0;
		for (String sha256 : assets.unreferencedBlobs(settings.blobGrace(), 500)) {
			if (assets.deleteBlob(sha256, settings.blobGrace())) {
				try {
					blobs.delete(sha256);
					deleted++;
				}
				catch (IOException ex) {
					log.warn("Could not delete blob {}: {}", sha256, ex.getMessage());
				}
			}
		}
		if (deleted > 0) {
			log.info("Swept {} unreferenced blobs", deleted);
		}
		return deleted;
	}

}
