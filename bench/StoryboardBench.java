import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What regenerating after an edit costs, and how long planning takes, against a running server.
 *
 * <p>Part 1 generates a storyboard of {@code --scenes} scenes (default 20) on the local provider,
 * forks it editing the prompt of the middle scene, and regenerates: it prints the jobs Phork
 * created and the credits it charged (read from the balance), next to what seed 004's boundary rule
 * would redo: every scene from the first changed one to the end (keyframe, clip and audio) plus the
 * render. Part 2 commits a storyboard of {@code --plan-scenes} scenes (default 200) and times
 * {@code GET /projects/{id}/plan} over {@code --samples} calls after a warm-up.
 *
 * <p>Run: {@code java bench/StoryboardBench.java --url http://localhost:8080 [--scenes 20] [--plan-scenes 200] [--samples 50]}
 */
public class StoryboardBench {

	private static final long KEYFRAME = 3;

	private static final long CLIP = 20;

	private static final long AUDIO = 5;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10)).build();

	private final String url;

	private String token = "";

	private String workspace = "";

	private StoryboardBench(String url) {
		this.url = url;
	}

	public static void main(String[] args) throws Exception {
		String url = null;
		int scenes = 20;
		int planScenes = 200;
		int samples = 50;
		for (int i = 0; i < args.length - 1; i += 2) {
			switch (args[i]) {
				case "--url" -> url = args[i + 1];
				case "--scenes" -> scenes = Integer.parseInt(args[i + 1]);
				case "--plan-scenes" -> planScenes = Integer.parseInt(args[i + 1]);
				case "--samples" -> samples = Integer.parseInt(args[i + 1]);
				default -> throw new IllegalArgumentException("unknown flag " + args[i]);
			}
		}
		if (url == null) {
			throw new IllegalArgumentException("--url is required");
		}
		StoryboardBench bench = new StoryboardBench(url);
		bench.register();
		bench.editOneScene(scenes);
		bench.timePlan(planScenes, samples);
	}

	private void register() throws Exception {
		String body = send("POST", "/auth/register", "{\"email\":\"sb-" + UUID.randomUUID()
				+ "@example.com\",\"password\":\"storyboard-bench\",\"name\":\"Bench\"}", 201);
		token = field(body, "\"token\":\"([^\"]+)\"");
		workspace = field(body, "\"workspace\":\\{\"id\":\"([^\"]+)\"");
	}

	private void editOneScene(int count) throws Exception {
		String project = id(send("POST", "/projects", "{\"workspaceId\":\"" + workspace + "\",\"name\":\"bench\"}", 201));
		send("POST", "/projects/" + project + "/registry/entries",
				"{\"kind\":\"character\",\"name\":\"Anna\",\"description\":\"a sailor in a red coat\"}", 201);
		StringBuilder logline = new StringBuilder();
		for (int i = 1; i <= count; i++) {
			logline.append(i % 3 == 0 ? "Anna " : "The sea ").append("moves in scene ").append(i).append(". ");
		}
		long start = System.nanoTime();
		String started = send("POST", "/projects/" + project + "/generate", "{\"logline\":\"" + logline
				+ "\",\"sceneCount\":" + count + "}", 202);
		await(field(started, "\"pipelineId\":\"([^\"]+)\""));
		System.err.printf("generated %d scenes in %.1f s%n", count, (System.nanoTime() - start) / 1e9);

		String head = field(send("GET", "/projects/" + project, null, 200), "\"headCommitId\":\"([^\"]+)\"");
		String commit = send("GET", "/projects/" + project + "/commits/" + head, null, 200);
		List<String> sceneIds = all(commit, "\\{\"id\":\"([0-9a-f-]{36})\",\"prompt\"");
		int middle = sceneIds.size() / 2;
		String fork = id(send("POST", "/projects/" + project + "/fork", "{\"workspaceId\":\"" + workspace
				+ "\",\"edits\":{\"scenes\":{\"update\":[{\"id\":\"" + sceneIds.get(middle)
				+ "\",\"prompt\":\"A storm breaks in the middle.\"}]}}}", 201));
		String plan = send("GET", "/projects/" + fork + "/plan", null, 200);
		long before = balance();
		String regenerated = send("POST", "/projects/" + fork + "/regenerate", "{}", 202);
		int jobs = count(regenerated, "\"idempotencyKey\"");
		await(field(regenerated, "\"pipelineId\":\"([^\"]+)\""));
		long charged = before - balance();
		int boundaryScenes = sceneIds.size() - middle;
		// Both redo the render of the whole storyboard, priced by its length: the plan's render cost.
		long render = Long.parseLong(field(plan, "\"render\":\\{[^}]*\"cost\":(\\d+)"));
		long boundaryCredits = boundaryScenes * (KEYFRAME + CLIP + AUDIO) + render;
		System.out.println();
		System.out.printf("Editing scene %d of %d (one prompt), continuity off%n", middle + 1, sceneIds.size());
		System.out.printf("  %-32s %6s %8s%n", "", "jobs", "credits");
		System.out.printf("  %-32s %6d %8d   (plan said %s)%n", "Phork (stale artifacts only)", jobs, charged,
				field(plan, "\"totalCost\":(\\d+)"));
		System.out.printf("  %-32s %6d %8d%n", "seed 004 boundary rule", boundaryScenes * 3 + 1, boundaryCredits);
		System.out.printf("  saving: %.0f%% of the credits%n", 100.0 * (boundaryCredits - charged) / boundaryCredits);
	}

	private void timePlan(int scenes, int samples) throws Exception {
		String project = id(send("POST", "/projects", "{\"workspaceId\":\"" + workspace + "\",\"name\":\"plan\"}", 201));
		StringBuilder body = new StringBuilder("{\"message\":\"big\",\"timeline\":{\"settings\":{\"style\":\"ink\"},"
				+ "\"registry\":[{\"tag\":\"CHAR_01\",\"kind\":\"character\",\"name\":\"Anna\",\"description\":\"a sailor\"},"
				+ "{\"tag\":\"LOC_01\",\"kind\":\"location\",\"name\":\"Harbor\"}],\"scenes\":[");
		for (int i = 0; i < scenes; i++) {
			body.append(i == 0 ? "" : ",").append("{\"prompt\":\"scene ").append(i).append("\",\"durationMs\":4500")
				.append(i % 2 == 0 ? ",\"assetTags\":[\"CHAR_01\"]" : ",\"assetTags\":[\"LOC_01\"]").append('}');
		}
		body.append("]}}");
		send("POST", "/projects/" + project + "/commits", body.toString(), 201);
		for (int i = 0; i < 10; i++) {
			send("GET", "/projects/" + project + "/plan", null, 200);
		}
		double[] ms = new double[samples];
		for (int i = 0; i < samples; i++) {
			long t = System.nanoTime();
			send("GET", "/projects/" + project + "/plan", null, 200);
			ms[i] = (System.nanoTime() - t) / 1e6;
		}
		Arrays.sort(ms);
		System.out.println();
		System.out.printf("GET /plan for %d scenes (%d samples): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", scenes, samples,
				ms[samples / 2], ms[Math.min(samples - 1, (int) Math.ceil(samples * 0.99) - 1)], ms[samples - 1]);
	}

	private void await(String pipeline) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
		while (System.nanoTime() < deadline) {
			String status = field(send("GET", "/pipelines/" + pipeline, null, 200), "\"status\":\"([a-z]+)\"");
			if (!status.equals("running")) {
				if (!status.equals("succeeded")) {
					throw new IllegalStateException("pipeline " + pipeline + " " + status);
				}
				return;
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("pipeline " + pipeline + " did not finish");
	}

	private long balance() throws Exception {
		return Long.parseLong(field(send("GET", "/credits/balance?workspaceId=" + workspace, null, 200),
				"\"balance\":(\\d+)"));
	}

	private String send(String method, String path, String body, int expected) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60));
		if (!token.isEmpty()) {
			request.header("Authorization", "Bearer " + token);
		}
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != expected) {
			throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	private static String id(String json) {
		return field(json, "\"id\":\"([^\"]+)\"");
	}

	private static String field(String json, String regex) {
		Matcher m = Pattern.compile(regex).matcher(json);
		if (!m.find()) {
			throw new IllegalStateException("no " + regex + " in " + json);
		}
		return m.group(1);
	}

	private static List<String> all(String json, String regex) {
		List<String> found = new ArrayList<>();
		Matcher m = Pattern.compile(regex).matcher(json);
		while (m.find()) {
			found.add(m.group(1));
		}
		return found;
	}

	private static int count(String text, String needle) {
		return all(text, Pattern.quote(needle) + "()").size();
	}

}
