package dev.phork.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code phork demo [--url http://host:port]}: seed 000's twelve-step end-to-end demo against a
 * server (an embedded one on a temporary data folder when no URL is given), printing each step, the
 * ids it made and the final credit arithmetic. Exits non-zero at the first check that fails.
 */
public final class Demo {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final String base;

	private String token = "";

	private int failures;

	private Demo(String base) {
		this.base = base;
	}

	/**
	 * @param application the Spring Boot application to start when no URL is given (passed in, so
	 * the demo does not depend on the application that launches it)
	 */
	public static int run(String[] args, Class<?> application) {
		String url = null;
		for (int i = 0; i < args.length; i++) {
			if (args[i].equals("--url") && i + 1 < args.length) {
				url = args[++i];
			}
			else if (args[i].startsWith("--url=")) {
				url = args[i].substring(6);
			}
		}
		ConfigurableApplicationContext embedded = null;
		Path data = null;
		try {
			if (url == null) {
				data = Files.createTempDirectory("phork-demo-");
				System.out.println("Starting an embedded Phork server (data in " + data + ") ...");
				embedded = SpringApplication.run(application, "--server.port=0", "--phork.data-dir=" + data,
						"--spring.main.banner-mode=off", "--logging.level.root=warn",
						// The walk-through needs no Actuator, and a running server may hold its port.
						"--management.server.port=-1");
				url = "http://localhost:" + embedded.getEnvironment().getProperty("local.server.port");
			}
			return new Demo(url.replaceAll("/$", "")).walk();
		}
		catch (DemoFailed ex) {
			System.err.println("phork demo: " + ex.getMessage());
			return 1;
		}
		catch (IOException ex) {
			System.err.println("phork demo: " + ex.getMessage());
			return 1;
		}
		finally {
			if (embedded != null) {
				embedded.close();
			}
			if (data != null) {
				// The embedded server's database, blobs and secrets (some 50 MB) served this run only.
				deleteTree(data);
			}
		}
	}

	private static void deleteTree(Path root) {
		try (Stream<Path> files = Files.walk(root)) {
			files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			System.err.println("phork demo: could not delete " + root + ": " + ex.getMessage());
		}
	}

	private int walk() {
		System.out.println("== PHORK PHASE 1 E2E DEMO ==  " + base + "  " + Instant.now());
		step(1, "Register");
		String email = "demo-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
		JsonNode registered = expect(201, "POST", "/auth/register",
				"{\"email\":\"" + email + "\",\"password\":\"phork-demo-password\",\"name\":\"Demo\"}");
		token = registered.get("token").asString();
		String workspace = registered.get("workspace").get("id").asString();
		info("workspace", workspace);

		step(2, "Login");
		token = expect(200, "POST", "/auth/login", "{\"email\":\"" + email + "\",\"password\":\"phork-demo-password\"}")
			.get("token").asString();
		check(expect(200, "GET", "/auth/me", null).get("email").asString().equals(email), "token resolves to the user");

		step(3, "Create project \"E2E Demo: City at Night\"");
		String project = expect(201, "POST", "/projects",
				"{\"workspaceId\":\"" + workspace + "\",\"name\":\"E2E Demo: City at Night\"}").get("id").asString();
		info("projectId", project);

		step(4, "Generate 3 shot videos");
		String[] shots = new String[3];
		for (int i = 0; i < 3; i++) {
			shots[i] = run("gen-video", "{\"workspaceId\":\"" + workspace + "\",\"projectId\":\"" + project
					+ "\",\"prompt\":\"city at night, shot " + (i + 1) + "\",\"durationMs\":4500}", null);
		}

		step(5, "Generate audio for shot 1");
		String audio = run("gen-audio", "{\"workspaceId\":\"" + workspace + "\",\"text\":\"The city never sleeps.\"}", null);

		step(6, "Commit (3 shots, audio on shot 1)");
		JsonNode commit = expect(201, "POST", "/projects/" + project + "/commits",
				"{\"message\":\"three shots\",\"timeline\":{\"scenes\":[{\"prompt\":\"shot 1\",\"videoAssetId\":\"" + shots[0]
						+ "\",\"audioAssetId\":\"" + audio + "\"},{\"prompt\":\"shot 2\",\"videoAssetId\":\"" + shots[1]
						+ "\"},{\"prompt\":\"shot 3\",\"videoAssetId\":\"" + shots[2] + "\"}]}}");
		JsonNode scenes = commit.get("timeline").get("scenes");

		step(7, "Render project");
		JsonNode renderJob = await(submit("render", "{\"workspaceId\":\"" + workspace + "\",\"projectId\":\"" + project
				+ "\"}", null, 201).get("id").asString());
		String render = renderJob.get("resultAssetId").asString();
		long renderCost = renderPrice(renderJob);
		JsonNode rendered = expect(200, "GET", "/assets/" + render, null);
		info("render", render + " (" + rendered.get("durationMs").asLong() + " ms, " + rendered.get("sizeBytes").asLong()
				+ " bytes)  " + base + rendered.get("url").asString());

		step(8, "Closed ecosystem");
		JsonNode refused = expect(400, "POST", "/projects/" + project + "/commits",
				"{\"message\":\"fake\",\"timeline\":{\"scenes\":[{\"videoAssetId\":\"" + UUID.randomUUID() + "\"}]}}");
		check(refused.get("detail").asString().contains("mint receipt"), "the refusal names the mint receipt");

		step(9, "Idempotency");
		long before = balance(workspace);
		String key = "demo-render-" + UUID.randomUUID();
		String body = "{\"workspaceId\":\"" + workspace + "\",\"projectId\":\"" + project + "\"}";
		String first = submit("render", body, key, 201).get("id").asString();
		String second = submit("render", body, key, 200).get("id").asString();
		check(first.equals(second), "the duplicate answers the same job");
		check(balance(workspace) == before - renderCost, "a single debit for the idempotent render");
		await(first);

		step(10, "Fork project");
		String fork = expect(201, "POST", "/projects/" + project + "/fork",
				"{\"workspaceId\":\"" + workspace + "\",\"name\":\"City at Dawn\"}").get("id").asString();
		info("forkedProjectId", fork);

		step(11, "Diverge the fork (new shot 2, re-render)");
		String newShot = run("gen-video", "{\"workspaceId\":\"" + workspace + "\",\"projectId\":\"" + fork
				+ "\",\"prompt\":\"city at dawn, shot 2\",\"durationMs\":4500}", null);
		expect(201, "POST", "/projects/" + fork + "/commits", "{\"message\":\"new shot 2\",\"timeline\":{\"scenes\":[{\"id\":\""
				+ scenes.get(0).get("id").asString() + "\",\"videoAssetId\":\"" + shots[0] + "\",\"audioAssetId\":\"" + audio
				+ "\"},{\"id\":\"" + scenes.get(1).get("id").asString() + "\",\"videoAssetId\":\"" + newShot + "\"},{\"id\":\""
				+ scenes.get(2).get("id").asString() + "\",\"videoAssetId\":\"" + shots[2] + "\"}]}}");
		long forkRenderCost = renderPrice(await(submit("render", "{\"workspaceId\":\"" + workspace + "\",\"projectId\":\""
				+ fork + "\"}", null, 201).get("id").asString()));

		step(12, "Verify fork independence");
		JsonNode original = expect(200, "GET", "/projects/" + project, null);
		check(original.get("headCommitId").asString().equals(commit.get("id").asString()), "original head unchanged");
		JsonNode originalScenes = expect(200, "GET", "/projects/" + project + "/commits/" + commit.get("id").asString(), null)
			.get("timeline").get("scenes");
		check(originalScenes.get(1).get("videoAssetId").asString().equals(shots[1]), "original shot 2 unchanged");
		check(!newShot.equals(shots[1]), "fork shot 2 differs from the original");

		long spent = 25 * 3 + 5 + renderCost + renderCost + 25 + forkRenderCost;
		long balance = balance(workspace);
		System.out.printf("%nCredits: 1000 - (25 x 3 + 5 + %d x 2 + 25 + %d) = 1000 - %d = %d; balance is %d%n", renderCost,
				forkRenderCost, spent, 1000 - spent, balance);
		check(balance == 1000 - spent, "credit arithmetic matches the ledger");
		System.out.println(failures == 0 ? "\n== E2E DEMO COMPLETE ==" : "\n== E2E DEMO FAILED (" + failures + ") ==");
		return failures == 0 ? 0 : 1;
	}

	/**
	 * What a finished render job was charged, shown against the default rule: 1 credit per second of
	 * output, rounded up, at least 15 (PHORK_PRICE_RENDER_PER_SECOND, PHORK_PRICE_RENDER).
	 */
	private long renderPrice(JsonNode job) {
		long cost = job.get("cost").asLong();
		long durationMs = job.get("request").get("durationMs").asLong();
		long expected = Math.max(15, Math.ceilDiv(durationMs, 1000));
		info("price", String.format(Locale.ROOT, "%.2f s of output: max(15, 1 x %d s) = %d credits (charged %d)",
				durationMs / 1000.0, Math.ceilDiv(durationMs, 1000), expected, cost));
		check(cost == expected, "the render is priced by its length");
		return cost;
	}

	/** Submits a job, shows its progress until it ends, and answers its asset id. */
	private String run(String type, String body, @Nullable String key) {
		JsonNode job = submit(type, body, key, 201);
		JsonNode done = await(job.get("id").asString());
		return done.get("resultAssetId").asString();
	}

	private JsonNode submit(String type, String body, @Nullable String key, int status) {
		String idempotencyKey = key != null ? key : "demo-" + UUID.randomUUID();
		return send(status, "POST", "/jobs/" + type, body, idempotencyKey);
	}

	private JsonNode await(String jobId) {
		long started = System.nanoTime();
		double shown = -1;
		while (true) {
			JsonNode job = expect(200, "GET", "/jobs/" + jobId, null);
			String status = job.get("status").asString();
			double progress = job.get("progress").asDouble();
			if (progress != shown) {
				shown = progress;
				System.out.printf("     %s %s %3.0f%%%n", job.get("type").asString(), status, progress * 100);
			}
			if (status.equals("succeeded")) {
				System.out.printf("[ok] %s %s succeeded (%.1f s) -> asset %s%n", job.get("type").asString(), jobId,
						(System.nanoTime() - started) / 1e9, job.get("resultAssetId").asString());
				return job;
			}
			if (status.equals("failed") || status.equals("canceled")) {
				throw new DemoFailed("job " + jobId + " " + status + ": " + job.get("error"));
			}
			sleep();
		}
	}

	private long balance(String workspace) {
		return expect(200, "GET", "/credits/balance?workspaceId=" + workspace, null).get("balance").asLong();
	}

	private JsonNode expect(int status, String method, String path, @Nullable String body) {
		return send(status, method, path, body, null);
	}

	private JsonNode send(int status, String method, String path, @Nullable String body, @Nullable String key) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
		if (!token.isEmpty()) {
			request.header("Authorization", "Bearer " + token);
		}
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		try {
			HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != status) {
				check(false, method + " " + path + " returned " + response.statusCode() + " (expected " + status + "): "
						+ response.body());
				throw new DemoFailed(method + " " + path + " answered " + response.statusCode());
			}
			if (!method.equals("GET")) {
				check(true, method + " " + path + " returned " + status);
			}
			return response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
		}
		catch (IOException ex) {
			throw new DemoFailed("cannot reach " + base + ": " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DemoFailed("interrupted");
		}
	}

	private void check(boolean ok, String what) {
		System.out.println((ok ? "[ok] " : "[FAIL] ") + what);
		if (!ok) {
			failures++;
		}
	}

	private static void step(int n, String title) {
		System.out.printf("%n--- Step %d: %s ---%n", n, title);
	}

	private static void info(String name, String value) {
		System.out.println("     " + name + ": " + value);
	}

	private static void sleep() {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DemoFailed("interrupted");
		}
	}

	private static final class DemoFailed extends RuntimeException {

		DemoFailed(String message) {
			super(message);
		}

	}

}
