package dev.phork.assets;

import dev.phork.common.DataDirectory;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The data folder keeps the blobs unless a bucket is configured ({@code PHORK_S3_BUCKET}). */
@Configuration(proxyBeanMethods = false)
class BlobStoreConfiguration {

	@Bean
	BlobStore blobStore(S3Settings s3, DataDirectory dataDirectory) throws IOException {
		if (s3.enabled()) {
			return new S3BlobStore(s3, dataDirectory.resolve("blob-cache"));
		}
		return new LocalBlobStore(dataDirectory);
	}

}
