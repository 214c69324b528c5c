package dev.phork.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.phork.ApiTest;
import dev.phork.Http;
import dev.phork.PhorkProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * Scale-out as deployed: two API processes (A, B) and one {@code worker} process, each on a data
 * folder of its own, sharing only PostgreSQL and one bucket (S3Proxy). A user registered on A works
 * through B, the worker process runs the jobs, and every asset is readable from every process:
 * bytes, signing secrets and tokens all come from what is shared, nothing from a local disk.
 */
class ScaleOutTest extends ApiTest {

	@RegisterExtension
	static final S3ProxyExtension S3 = S3ProxyExtension.builder()
		.withCredentials("phork-access", "phork-secret")
		.withBlobStoreProvider("transient")
		.build();

	private static final String BUCKET = "phork-scale-out";

	@Autowired
	HikariDataSource dataSource;

	@Autowired
	JobWorker worker;

	@Test
	void twoServersAndAWorkerShareOnlyTheDatabaseAndTheBucket() throws Exception {
		try (S3Client s3 = s3()) {
			s3.createBucket(b -> b.bucket(BUCKET));
		}
		Path dataA = Files.createTempDirectory("phork-a");
		Path dataB = Files.createTempDirectory("phork-b");
		Path dataW = Files.createTempDirectory("phork-w");
		// This JVM's own workers (local blob store) stay out of the way: the worker process runs the jobs.
		worker.stop();
		try (PhorkProcess a = PhorkProcess.start("serve", env(dataA, Map.of("PHORK_WORKER_ENABLED", "false")));
				PhorkProcess b = PhorkProcess.start("serve",
						env(dataB, Map.of("PHORK_WORKER_ENABLED", "false", "PHORK_S3_REDIRECT", "true")));
				PhorkProcess w = PhorkProcess.start("worker", env(dataW, Map.of()))) {
			Http onA = new Http("http://localhost:" + a.awaitPort(), json);
			Http onB = new Http("http://localhost:" + b.awaitPort(), json);
			w.awaitLine("job workers");

			Http.Response registered = onA.post("/auth/register", null, "{\"email\":\"scale" + UUID.randomUUID()
					+ "@example.com\",\"password\":\"correct horse battery\",\"name\":\"Scale\"}").assertStatus(201);
			String token = registered.json().get("token").asString();
			UUID workspace = UUID.fromString(registered.json().get("workspace").get("id").asString());

			// Generated on B, run by the worker, animated from the image the worker has only in the bucket.
			UUID image = result(onB, token, onB.post("/jobs/gen-image", token, "{\"workspaceId\":\"" + workspace
					+ "\",\"prompt\":\"a lighthouse\",\"width\":256,\"height\":256}").assertStatus(201).uuid("id"));
			UUID clip = result(onB, token, onB.post("/jobs/animate", token, "{\"workspaceId\":\"" + workspace
					+ "\",\"imageAssetId\":\"" + image + "\",\"durationMs\":1500}").assertStatus(201).uuid("id"));

			// A project made on A, the clip committed on B, rendered from A.
			UUID project = onA.post("/projects", token, "{\"workspaceId\":\"" + workspace
					+ "\",\"name\":\"Scale-out\",\"visibility\":\"private\"}").assertStatus(201).uuid("id");
			UUID commit = onB.post("/projects/" + project + "/commits", token, "{\"message\":\"first cut\",\"timeline\":"
					+ "{\"scenes\":[{\"prompt\":\"the light\",\"videoAssetId\":\"" + clip + "\"}]}}").assertStatus(201).uuid("id");
			UUID render = result(onA, token, onA.post("/jobs/render", token, "{\"workspaceId\":\"" + workspace
					+ "\",\"projectId\":\"" + project + "\",\"commitId\":\"" + commit + "\"}").assertStatus(201).uuid("id"));

			for (UUID asset : List.of(image, clip, render)) {
				JsonNode onAView = onA.get("/assets/" + asset, token).assertStatus(200).json();
				String sha256 = onAView.get("sha256").asString();
				byte[] whole = readable(onA, onB, onAView.get("url").asString(), sha256);
				assertThat(whole).hasSize(onAView.get("sizeBytes").asInt());
			}
			// B accepted in a commit the clip the worker process minted: its receipt verified there.
			assertThat(db.sql("SELECT count(*) FROM commits WHERE id = :c").param("c", commit).query(Long.class).single())
				.isEqualTo(1);
			assertThat(db.sql("SELECT count(DISTINCT last_worker) FROM jobs WHERE workspace_id = :w")
				.param("w", workspace).query(Long.class).single()).isEqualTo(1);
			assertThat(balance(workspace)).isEqualTo(ledgerSum(workspace));
			// Nothing of it was written to a data folder's blob store: the bucket holds it all.
			for (Path data : List.of(dataA, dataB, dataW)) {
				assertThat(data.resolve("blobs")).doesNotExist();
			}
		}
		finally {
			worker.start();
		}
	}

	/**
	 * The bytes behind a content URL, the same from every process: A passes them through (whole,
	 * and one range by a ranged read), B redirects to a presigned URL of the bucket.
	 */
	private byte[] readable(Http onA, Http onB, String url, String sha256) throws Exception {
		HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
		HttpResponse<byte[]> whole = client.send(HttpRequest.newBuilder(URI.create(onA.base() + url)).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(whole.statusCode()).isEqualTo(200);
		assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(whole.body()))).isEqualTo(sha256);
		assertThat(whole.headers().firstValue("ETag")).hasValue("\"" + sha256 + "\"");

		HttpResponse<byte[]> range = client.send(HttpRequest.newBuilder(URI.create(onA.base() + url))
			.header("Range", "bytes=10-109").build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(range.statusCode()).isEqualTo(206);
		assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 10-109/" + whole.body().length);
		assertThat(range.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 10, 110));

		HttpResponse<Void> redirect = client.send(HttpRequest.newBuilder(URI.create(onB.base() + url)).build(),
				HttpResponse.BodyHandlers.discarding());
		assertThat(redirect.statusCode()).isEqualTo(302);
		URI presigned = URI.create(redirect.headers().firstValue("Location").orElseThrow());
		assertThat(presigned.getPort()).isEqualTo(S3.getUri().getPort());
		HttpResponse<byte[]> fromBucket = client.send(HttpRequest.newBuilder(presigned).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(fromBucket.statusCode()).isEqualTo(200);
		assertThat(fromBucket.body()).isEqualTo(whole.body());
		// A tampered content URL is still refused before any redirect.
		assertThat(client.send(HttpRequest.newBuilder(URI.create(onB.base() + url.replaceAll("sig=[^&]*", "sig=tampered"))).build(),
				HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);
		return whole.body();
	}

	private UUID result(Http http, String token, UUID job) {
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode view = http.get("/jobs/" + job, token).assertStatus(200).json();
			String status = view.get("status").asString();
			if (status.equals("succeeded")) {
				return UUID.fromString(view.get("resultAssetId").asString());
			}
			assertThat(status).as(view.toString()).isIn("queued", "running");
			sleep(100);
		}
		throw new AssertionError("job " + job + " did not finish");
	}

	private Map<String, String> env(Path dataDir, Map<String, String> extra) {
		Map<String, String> env = new HashMap<>();
		env.put("PHORK_DATABASE_URL", dataSource.getJdbcUrl());
		env.put("PHORK_DATABASE_USERNAME", dataSource.getUsername());
		if (dataSource.getPassword() != null) {
			env.put("PHORK_DATABASE_PASSWORD", dataSource.getPassword());
		}
		env.put("PHORK_DATA_DIR", dataDir.toString());
		env.put("PHORK_MANAGEMENT_PORT", "0");
		// Every test registers from 127.0.0.1, and the counts are in the shared database.
		env.put("PHORK_REGISTRATIONS_PER_ADDRESS", "1000000");
		env.put("PHORK_POLL_INTERVAL", "200ms");
		env.put("PHORK_S3_BUCKET", BUCKET);
		env.put("PHORK_S3_ENDPOINT", S3.getUri().toString());
		env.put("PHORK_S3_ACCESS_KEY", S3.getAccessKey());
		env.put("PHORK_S3_SECRET_KEY", S3.getSecretKey());
		env.put("PHORK_S3_PATH_STYLE", "true");
		env.putAll(extra);
		return env;
	}

	private static S3Client s3() {
		return S3Client.builder()
			.httpClient(UrlConnectionHttpClient.create())
			.endpointOverride(S3.getUri())
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3.getAccessKey(), S3.getSecretKey())))
			.forcePathStyle(true)
			.build();
	}

}
