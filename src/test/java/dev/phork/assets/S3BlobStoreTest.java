package dev.phork.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phork.ApiTest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 blob store against a real S3 API server (S3Proxy, in this JVM, in-memory backend): the
 * same content addressing as the local folder, ranged reads, multipart uploads from disk, the
 * sweeper, presigned redirects and the bounded local cache FFmpeg reads from.
 */
class S3BlobStoreTest extends ApiTest {

	@RegisterExtension
	static final S3ProxyExtension S3 = S3ProxyExtension.builder()
		.withCredentials("phork-access", "phork-secret")
		.withBlobStoreProvider("transient")
		.build();

	private static final String BUCKET = "phork-test";

	@Autowired
	Assets assetRows;

	@Autowired
	AssetSettings assetSettings;

	@Autowired
	BlobStore localBlobs;

	S3Client client;

	S3BlobStore store;

	Path cache;

	@BeforeEach
	void bucket() throws Exception {
		client = S3Client.builder()
			.httpClient(UrlConnectionHttpClient.create())
			.endpointOverride(S3.getUri())
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3.getAccessKey(), S3.getSecretKey())))
			.forcePathStyle(true)
			.build();
		client.createBucket(b -> b.bucket(BUCKET));
		cache = Files.createTempDirectory("phork-blob-cache");
		store = store(false);
	}

	@AfterEach
	void close() {
		store.close();
		client.close();
	}

	private S3BlobStore store(boolean redirect) throws Exception {
		return new S3BlobStore(new S3Settings(BUCKET, S3.getUri().toString(), "us-east-1", S3.getAccessKey(),
				S3.getSecretKey(), true, redirect, DataSize.ofMegabytes(5), DataSize.ofMegabytes(64)), cache);
	}

	@Test
	void storesUnderTheContentKeyAndReadsRanges() throws Exception {
		byte[] bytes = random(100_000, 1);
		Path file = file(bytes);
		String expected = ContentKeys.sha256(file);

		BlobStore.StoredBlob stored = store.take(file);

		assertThat(stored.sha256()).isEqualTo(expected);
		assertThat(stored.sizeBytes()).isEqualTo(100_000);
		assertThat(file).doesNotExist();
		assertThat(client.headObject(h -> h.bucket(BUCKET).key("blobs/" + ContentKeys.relativePath(expected)))
			.contentLength()).isEqualTo(100_000);
		assertThat(store.size(expected)).isEqualTo(100_000);
		try (InputStream in = store.open(expected)) {
			assertThat(in.readAllBytes()).isEqualTo(bytes);
		}
		try (InputStream in = store.open(expected, 40_000, 1234)) {
			assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 40_000, 41_234));
		}
		try (InputStream in = store.open(expected, 99_990, 10)) {
			assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 99_990, 100_000));
		}
		// The same bytes again: one object, and the file is still taken.
		Path again = file(bytes);
		assertThat(store.take(again).sha256()).isEqualTo(expected);
		assertThat(again).doesNotExist();
		assertThat(client.listObjectsV2(l -> l.bucket(BUCKET)).keyCount()).isEqualTo(1);
		assertThatThrownBy(() -> store.open("0".repeat(64))).isInstanceOf(NoSuchFileException.class);
	}

	@Test
	void largeFilesGoUpInPartsStreamedFromDisk() throws Exception {
		byte[] bytes = random(12 * 1024 * 1024 + 3, 2);
		Path file = file(bytes);

		BlobStore.StoredBlob stored = store.take(file);

		String key = "blobs/" + ContentKeys.relativePath(stored.sha256());
		// A multipart object's ETag ends in the number of its parts: 5 + 5 + 2 MiB and 3 bytes.
		assertThat(client.headObject(h -> h.bucket(BUCKET).key(key)).eTag()).endsWith("-3\"");
		assertThat(client.listMultipartUploads(l -> l.bucket(BUCKET)).uploads()).isEmpty();
		try (InputStream in = store.open(stored.sha256())) {
			assertThat(in.readAllBytes()).isEqualTo(bytes);
		}
		int boundary = 5 * 1024 * 1024;
		try (InputStream in = store.open(stored.sha256(), boundary - 7, 14)) {
			assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, boundary - 7, boundary + 7));
		}
	}

	@Test
	void theSweeperDeletesUnreferencedObjectsAndKeepsReferencedOnes() throws Exception {
		TestUser user = register();
		UUID jobId = submit(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"prompt\":\"ok:kept in the bucket\",\"provider\":\"scripted\"}").uuid("id");
		UUID assetId = UUID.fromString(awaitJob(user, jobId).get("resultAssetId").asString());
		String kept = db.sql("SELECT sha256 FROM assets WHERE id = :id").param("id", assetId).query(String.class).single();
		Path keptCopy = Files.createTempFile("kept", ".bin");
		Files.copy(localBlobs.localFile(kept), keptCopy, StandardCopyOption.REPLACE_EXISTING);
		assertThat(store.take(keptCopy).sha256()).isEqualTo(kept);
		BlobStore.StoredBlob orphan = store.take(file(random(2_000, 3)));
		assetRows.touchBlobs(List.of(new Blob(orphan.sha256(), orphan.sizeBytes())));
		db.sql("UPDATE blobs SET touched_at = now() - interval '2 hours' WHERE sha256 IN (:a, :b)")
			.param("a", orphan.sha256()).param("b", kept).update();

		assertThat(new BlobSweeper(assetRows, store, assetSettings).sweep()).isGreaterThanOrEqualTo(1);

		assertThatThrownBy(() -> client.headObject(h -> h.bucket(BUCKET).key("blobs/" + ContentKeys.relativePath(orphan.sha256()))))
			.isInstanceOf(S3Exception.class);
		assertThat(db.sql("SELECT count(*) FROM blobs WHERE sha256 = :s").param("s", orphan.sha256()).query(Long.class)
			.single()).isZero();
		assertThat(store.size(kept)).isPositive();
	}

	@Test
	void redirectModeHandsOutAPresignedUrlThatServesTheBytes() throws Exception {
		byte[] bytes = random(50_000, 4);
		BlobStore.StoredBlob stored = store.take(file(bytes));
		assertThat(store.directUrl(stored.sha256(), "image/png", Duration.ofMinutes(1))).isEmpty();

		try (S3BlobStore redirecting = store(true)) {
			URI url = redirecting.directUrl(stored.sha256(), "image/png", Duration.ofMinutes(1)).orElseThrow();
			assertThat(url.getQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=60");
			HttpResponse<byte[]> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(bytes);
			// A tampered signature is refused by the bucket.
			URI tampered = URI.create(url.toString().replaceAll("X-Amz-Signature=[0-9a-f]", "X-Amz-Signature=x"));
			assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(tampered).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);
		}
	}

	@Test
	void ffmpegReadsFromABoundedCacheThatEvictsTheLeastRecentlyUsed() throws Exception {
		BlobStore.StoredBlob a = store.take(file(random(100_000, 5)));
		BlobStore.StoredBlob b = store.take(file(random(100_000, 6)));
		BlobStore.StoredBlob c = store.take(file(random(100_000, 7)));
		BlobCache bounded = new BlobCache(Files.createTempDirectory("bounded"), 250_000, Duration.ZERO, store::open);

		Path fileA = bounded.get(a.sha256());
		Path fileB = bounded.get(b.sha256());
		assertThat(bounded.get(a.sha256())).isEqualTo(fileA);
		Path fileC = bounded.get(c.sha256());

		assertThat(fileB).doesNotExist();
		assertThat(fileA).exists();
		assertThat(Files.readAllBytes(fileC)).isEqualTo(store.open(c.sha256()).readAllBytes());
		assertThat(bounded.totalBytes()).isEqualTo(200_000);

		// Copies handed out within the in-use window stay, over the bound if need be.
		BlobCache busy = new BlobCache(Files.createTempDirectory("busy"), 150_000, Duration.ofMinutes(10), store::open);
		Path busyA = busy.get(a.sha256());
		Path busyB = busy.get(b.sha256());
		assertThat(busyA).exists();
		assertThat(busyB).exists();
		assertThat(busy.totalBytes()).isEqualTo(200_000);
		// And the store's own cache serves a local file with the blob's bytes.
		assertThat(Files.readAllBytes(store.localFile(a.sha256()))).isEqualTo(store.open(a.sha256()).readAllBytes());
		assertThat(store.cachedBytes()).isEqualTo(100_000);
	}

	private static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static Path file(byte[] bytes) throws Exception {
		Path file = Files.createTempFile("blob", ".bin");
		Files.write(file, bytes);
		return file;
	}

}
