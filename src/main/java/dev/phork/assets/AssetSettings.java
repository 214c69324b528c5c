package dev.phork.assets;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param mintSecret signs mint receipts ({@code PHORK_MINT_SECRET}); generated into the data folder when unset
 * @param urlSecret signs content URLs ({@code PHORK_URL_SECRET}); generated when unset
 * @param urlTtl how long a signed content URL stays valid
 * @param blobGrace how long an unreferenced blob is kept before the sweeper deletes it
 */
@ConfigurationProperties("phork.assets")
record AssetSettings(String mintSecret, String urlSecret, Duration urlTtl, Duration blobGrace) {
}
