package dev.phork.assets;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Where blobs live when they are not in the data folder. An empty bucket keeps them in the data
 * folder.
 *
 * @param bucket the bucket ({@code PHORK_S3_BUCKET}); set, it selects the S3 store
 * @param endpoint the S3 API's address ({@code PHORK_S3_ENDPOINT}); empty means AWS for the region
 * @param region the signing region ({@code PHORK_S3_REGION})
 * @param accessKey the access key ({@code PHORK_S3_ACCESS_KEY}); empty uses the SDK's default chain
 * @param secretKey the secret key ({@code PHORK_S3_SECRET_KEY})
 * @param pathStyle {@code endpoint/bucket/key} instead of {@code bucket.endpoint/key} ({@code PHORK_S3_PATH_STYLE})
 * @param redirect answer a signed content URL with a redirect to a presigned URL of the bucket ({@code PHORK_S3_REDIRECT})
 * @param partSize the part size of multipart uploads, and the size from which they are used ({@code PHORK_S3_PART_SIZE})
 * @param cacheSize the bound of the local copies FFmpeg reads ({@code PHORK_S3_CACHE_SIZE})
 */
@ConfigurationProperties("phork.s3")
record S3Settings(@Nullable String bucket, @Nullable String endpoint, String region, @Nullable String accessKey,
		@Nullable String secretKey, boolean pathStyle, boolean redirect, DataSize partSize, DataSize cacheSize) {

	boolean enabled() {
		return bucket != null && !bucket.isBlank();
	}

}
