package dev.phork.assets;

import dev.phork.common.StartupFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs in an S3-compatible bucket (AWS S3, MinIO, R2, B2, Ceph), under the same content-addressed
 * keys as the local folder: {@code blobs/ab/cd/<sha256>}. A file is hashed first, so bytes already
 * in the bucket are not sent again; it is then streamed from disk, in parts from
 * {@link S3Settings#partSize} on, so no blob is ever held in memory. Objects appear whole or not at
 * all (a PUT or a multipart completion is atomic), like the local store's rename.
 * <p>
 * The SDK computes no CRC checksums beyond what an operation requires: several S3-compatible
 * servers refuse the newer checksum headers and aws-chunked bodies, and the key itself is the
 * content's SHA-256.
 */
class S3BlobStore implements BlobStore, AutoCloseable {

	private final S3Client s3;

	private final S3Presigner presigner;

	private final String bucket;

	private final long partSize;

	private final boolean redirect;

	private final BlobCache cache;

	S3BlobStore(S3Settings settings, Path cacheFolder) throws IOException {
		AwsCredentialsProvider credentials = settings.accessKey() == null || settings.accessKey().isBlank()
				? DefaultCredentialsProvider.builder().build()
				: StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
		S3Configuration style = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();
		Region region = Region.of(settings.region());
		var client = S3Client.builder()
			.httpClient(UrlConnectionHttpClient.create())
			.region(region)
			.credentialsProvider(credentials)
			.serviceConfiguration(style)
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
		var presigns = S3Presigner.builder().region(region).credentialsProvider(credentials).serviceConfiguration(style);
		if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
			client.endpointOverride(URI.create(settings.endpoint()));
			presigns.endpointOverride(URI.create(settings.endpoint()));
		}
		this.s3 = client.build();
		this.presigner = presigns.build();
		this.bucket = settings.bucket();
		this.partSize = Math.max(5L * 1024 * 1024, settings.partSize().toBytes());
		this.redirect = settings.redirect();
		this.cache = new BlobCache(cacheFolder, settings.cacheSize().toBytes(), BlobCache.IN_USE, this::open);
		requireBucket(settings);
	}

	private void requireBucket(S3Settings settings) {
		try {
			s3.headBucket(b -> b.bucket(bucket));
		}
		catch (SdkException ex) {
			close();
			throw new StartupFailure("the S3 bucket '" + bucket + "' cannot be reached at "
					+ (settings.endpoint() == null || settings.endpoint().isBlank() ? "AWS " + settings.region()
							: settings.endpoint())
					+ " (" + ex.getMessage() + "); check PHORK_S3_BUCKET, PHORK_S3_ENDPOINT and the keys, or create the bucket.");
		}
	}

	@Override
	public StoredBlob take(Path file) throws IOException {
		String sha256 = ContentKeys.sha256(file);
		long size = Files.size(file);
		try {
			if (!exists(sha256)) {
				if (size < partSize) {
					s3.putObject(p -> p.bucket(bucket).key(key(sha256)).contentLength(size), RequestBody.fromFile(file));
				}
				else {
					uploadInParts(sha256, file, size);
				}
			}
		}
		catch (SdkException ex) {
			throw new IOException("cannot store blob " + sha256 + " in bucket " + bucket + ": " + ex.getMessage(), ex);
		}
		Files.delete(file);
		return new StoredBlob(sha256, size);
	}

	/** A multipart upload, each part streamed from its slice of the file; aborted on any failure. */
	private void uploadInParts(String sha256, Path file, long size) {
		String key = key(sha256);
		String uploadId = s3.createMultipartUpload(c -> c.bucket(bucket).key(key)).uploadId();
		try {
			List<CompletedPart> parts = new ArrayList<>();
			int number = 1;
			for (long offset = 0; offset < size; offset += partSize, number++) {
				long start = offset;
				long length = Math.min(partSize, size - offset);
				int partNumber = number;
				String etag = s3.uploadPart(u -> u.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
					.contentLength(length), RequestBody.fromContentProvider(() -> slice(file, start, length), length,
							"application/octet-stream"))
					.eTag();
				parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
			}
			s3.completeMultipartUpload(c -> c.bucket(bucket).key(key).uploadId(uploadId)
				.multipartUpload(m -> m.parts(parts)));
		}
		catch (RuntimeException ex) {
			try {
				s3.abortMultipartUpload(a -> a.bucket(bucket).key(key).uploadId(uploadId));
			}
			catch (SdkException abortFailure) {
				ex.addSuppressed(abortFailure);
			}
			throw ex;
		}
	}

	private static InputStream slice(Path file, long offset, long length) {
		try {
			FileChannel channel = FileChannel.open(file);
			channel.position(offset);
			return new BoundedInputStream(Channels.newInputStream(channel), length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private boolean exists(String sha256) {
		try {
			s3.headObject(h -> h.bucket(bucket).key(key(sha256)));
			return true;
		}
		catch (NoSuchKeyException ex) {
			return false;
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return false;
			}
			throw ex;
		}
	}

	@Override
	public InputStream open(String sha256) throws IOException {
		return get(sha256, null);
	}

	/** One ranged GET: only the bytes asked for cross the network. */
	@Override
	public InputStream open(String sha256, long offset, long length) throws IOException {
		if (length <= 0) {
			return InputStream.nullInputStream();
		}
		return get(sha256, "bytes=" + offset + "-" + (offset + length - 1));
	}

	private InputStream get(String sha256, @Nullable String range) throws IOException {
		try {
			return s3.getObject(g -> g.bucket(bucket).key(key(sha256)).range(range));
		}
		catch (NoSuchKeyException ex) {
			throw new NoSuchFileException("blob " + sha256 + " is not in bucket " + bucket);
		}
		catch (SdkException ex) {
			throw new IOException("cannot read blob " + sha256 + " from bucket " + bucket + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public Path localFile(String sha256) throws IOException {
		return cache.get(sha256);
	}

	@Override
	public Optional<Path> ownFile(String sha256) {
		return Optional.empty();
	}

	@Override
	public Optional<URI> directUrl(String sha256, String mimeType, Duration ttl) {
		if (!redirect) {
			return Optional.empty();
		}
		return Optional.of(URI.create(presigner.presignGetObject(p -> p.signatureDuration(ttl)
			.getObjectRequest(g -> g.bucket(bucket).key(key(sha256)).responseContentType(mimeType)))
			.url()
			.toString()));
	}

	@Override
	public long size(String sha256) throws IOException {
		try {
			return s3.headObject(h -> h.bucket(bucket).key(key(sha256))).contentLength();
		}
		catch (NoSuchKeyException ex) {
			throw new NoSuchFileException("blob " + sha256 + " is not in bucket " + bucket);
		}
		catch (SdkException ex) {
			throw new IOException("cannot read blob " + sha256 + " from bucket " + bucket + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public void delete(String sha256) throws IOException {
		try {
			s3.deleteObject(d -> d.bucket(bucket).key(key(sha256)));
		}
		catch (SdkException ex) {
			throw new IOException("cannot delete blob " + sha256 + " from bucket " + bucket + ": " + ex.getMessage(), ex);
		}
		cache.remove(sha256);
	}

	/** The bytes the local cache holds now. */
	long cachedBytes() {
		return cache.totalBytes();
	}

	private static String key(String sha256) {
		return "blobs/" + ContentKeys.relativePath(sha256);
	}

	@Override
	public void close() {
		presigner.close();
		s3.close();
	}

}
