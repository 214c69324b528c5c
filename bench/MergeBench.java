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
 * Times merges and blame against a running Phork server, at two history lengths each, so that a
 * cost growing with history would show.
 *
 * <ul>
 * <li><b>merge</b>: a project with a 200-scene storyboard and {@code h} commits of history; per
 * sample, two forks of it, one commit on each changing 20 scenes (different ones on each side),
 * then the timed {@code POST /projects/{a}/merge {sourceProjectId: b}} (merge base, three-way merge
 * of 200 scenes, asset check, the merge commit, its blame row, the head moved).</li>
 * <li><b>blame</b>: a chain of a project and three forks (4 projects, 3 fork points), each with a
 * quarter of {@code h} commits, every commit changing one prompt of a 20-scene storyboard; then the
 * timed {@code GET /projects/{last fork}/blame}.</li>
 * </ul>
 * One sequential client, HTTP/1.1 keep-alive, {@link System#nanoTime()} around each call; p50, p99
 * and mean in milliseconds; targets p50 <= 20 ms and p99 <= 50 ms.
 *
 * <p>Run: {@code java bench/MergeBench.java --url http://localhost:8080 [--merge-histories 10,1000]
 * [--blame-histories 100,10000] [--samples 200]}
 */
public class MergeBench {

	private static final int MERGE_SCENES = 200;

	private static final int CHANGED_PER_SIDE = 20;

	private static final int BLAME_SCENES = 20;

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final String baseUrl;

	private String token;

	private String workspaceId;

	private MergeBench(String baseUrl) {
		this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
	}

	public static void main(String[] args) throws Exception {
		String url = null;
		int[] mergeHistories = { 10, 1_000 };
		int[] blameHistories = { 100, 10_000 };
		int samples = 200;
		for (int i = 0; i + 1 < args.length; i += 2) {
			switch (args[i]) {
				case "--url" -> url = args[i + 1];
				case "--merge-histories" -> mergeHistories = ints(args[i + 1]);
				case "--blame-histories" -> blameHistories = ints(args[i + 1]);
				case "--samples" -> samples = Integer.parseInt(args[i + 1]);
				default -> throw new IllegalArgumentException("unknown flag " + args[i]);
			}
		}
		if (url == null) {
			throw new IllegalArgumentException("--url is required");
		}
		MergeBench bench = new MergeBench(url);
		bench.register();
		System.out.printf("%nPhork merge and blame bench: %d samples each, sequential, HTTP/1.1 keep-alive; ms%n%n", samples);
		System.out.printf("%-44s %8s %8s %8s %10s%n", "", "p50", "p99", "mean", "setup s");
		bench.merge(mergeHistories[0], Math.min(samples, 30), true);
		for (int history : mergeHistories) {
			bench.merge(history, samples, false);
		}
		for (int history : blameHistories) {
			bench.blame(history, samples);
		}
		System.out.printf("%ntarget: p50 <= 20 ms and p99 <= 50 ms for both, not growing with history length%n");
	}

	private void merge(int history, int samples, boolean warmUp) throws IOException, InterruptedException {
		long setup = System.nanoTime();
		String project = project("merge base " + history);
		List<String> all = ids(send("POST", "/projects/" + project + "/commits",
				commitBody("storyboard", null, null, prompts(MERGE_SCENES)), 201));
		String head = all.getFirst();
		List<String> scenes = all.subList(1, all.size());
		// The history edits the last 20 scenes, which neither side of a sample touches.
		String[] prompts = prompts(MERGE_SCENES);
		for (int i = 1; i < history; i++) {
			int k = MERGE_SCENES - CHANGED_PER_SIDE + i % CHANGED_PER_SIDE;
			prompts[k] = "scene " + k + " v" + i;
			head = ids(send("POST", "/projects/" + project + "/commits", commitBody("history " + i, head, scenes, prompts),
					201)).getFirst();
		}
		double setupSeconds = (System.nanoTime() - setup) / 1e9;
		double[] ms = new double[samples];
		for (int s = 0; s < samples; s++) {
			String a = fork(project);
			String b = fork(project);
			change(a, scenes, prompts, 0, "ours " + s);
			change(b, scenes, prompts, 100, "theirs " + s);
			long start = System.nanoTime();
			send("POST", "/projects/" + a + "/merge", "{\"sourceProjectId\":\"" + b + "\"}", 201);
			ms[s] = (System.nanoTime() - start) / 1e6;
		}
		if (!warmUp) {
			print("merge, 200 scenes, 20+20 changed, " + history + " commits", ms, setupSeconds);
		}
	}

	private void change(String project, List<String> scenes, String[] prompts, int from, String text)
			throws IOException, InterruptedException {
		String head = field(send("GET", "/projects/" + project, null, 200), "\"headCommitId\"\\s*:\\s*\"([^\"]+)\"");
		String[] changed = prompts.clone();
		for (int i = from; i < from + CHANGED_PER_SIDE; i++) {
			changed[i] = "scene " + i + " " + text;
		}
		send("POST", "/projects/" + project + "/commits", commitBody("20 changes", head, scenes, changed), 201);
	}

	private static String[] prompts(int scenes) {
		String[] prompts = new String[scenes];
		for (int i = 0; i < scenes; i++) {
			prompts[i] = "scene " + i;
		}
		return prompts;
	}

	private void blame(int history, int samples) throws IOException, InterruptedException {
		long setup = System.nanoTime();
		String project = project("blame " + history);
		String[] prompts = prompts(BLAME_SCENES);
		List<String> all = ids(send("POST", "/projects/" + project + "/commits", commitBody("storyboard", null, null, prompts),
				201));
		List<String> scenes = all.subList(1, all.size());
		String current = project;
		String head = all.getFirst();
		int perProject = history / 4;
		for (int p = 0; p < 4; p++) {
			if (p > 0) {
				current = fork(current);
			}
			for (int i = p == 0 ? 1 : 0; i < perProject; i++) {
				prompts[i % BLAME_SCENES] = "scene " + i % BLAME_SCENES + " p" + p + " c" + i;
				head = ids(send("POST", "/projects/" + current + "/commits", commitBody("c" + p + "-" + i, head, scenes, prompts),
						201)).getFirst();
			}
		}
		double setupSeconds = (System.nanoTime() - setup) / 1e9;
		String path = "/projects/" + current + "/blame";
		for (int i = 0; i < 50; i++) {
			send("GET", path, null, 200);
		}
		double[] ms = new double[samples];
		for (int s = 0; s < samples; s++) {
			long start = System.nanoTime();
			String body = send("GET", path, null, 200);
			ms[s] = (System.nanoTime() - start) / 1e6;
			if (s == 0 && count(body, "\"origin\"") != BLAME_SCENES) {
				throw new IllegalStateException("blame lists " + count(body, "\"origin\"") + " scenes");
			}
		}
		print("blame, 20 scenes, " + history + " commits, 3 forks", ms, setupSeconds);
	}

	private static String commitBody(String message, String parent, List<String> ids, String[] prompts) {
		StringBuilder body = new StringBuilder("{\"message\":\"" + message + "\"");
		if (parent != null) {
			body.append(",\"parentCommitId\":\"").append(parent).append('"');
		}
		body.append(",\"timeline\":{\"scenes\":[");
		for (int i = 0; i < prompts.length; i++) {
			body.append(i == 0 ? "" : ",").append(scene(ids == null ? null : ids.get(i), prompts[i]));
		}
		return body.append("]}}").toString();
	}

	private static String scene(String id, String prompt) {
		return "{" + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"prompt\":\"" + prompt
				+ "\",\"durationMs\":4000,\"assetTags\":[],\"composition\":{\"shotType\":\"wide\",\"cameraMovement\":\"pan\"}}";
	}

	private void register() throws IOException, InterruptedException {
		String email = "bench-" + UUID.randomUUID() + "@example.com";
		String body = send("POST", "/auth/register",
				"{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"name\":\"Bench\"}", 201);
		token = field(body, "\"token\"\\s*:\\s*\"([^\"]+)\"");
		workspaceId = field(body, "\"workspace\"\\s*:\\s*\\{\\s*\"id\"\\s*:\\s*\"([^\"]+)\"");
	}

	private String project(String name) throws IOException, InterruptedException {
		return ids(send("POST", "/projects", "{\"workspaceId\":\"" + workspaceId + "\",\"name\":\"" + name + "\"}", 201))
			.getFirst();
	}

	private String fork(String project) throws IOException, InterruptedException {
		return ids(send("POST", "/projects/" + project + "/fork", "{\"workspaceId\":\"" + workspaceId + "\"}", 201))
			.getFirst();
	}

	private String send(String method, String path, String json, int expected) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
			.header("Accept", "application/json");
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != expected) {
			throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	private static List<String> ids(String json) {
		List<String> ids = new ArrayList<>();
		Matcher matcher = ID.matcher(json);
		while (matcher.find()) {
			ids.add(matcher.group(1));
		}
		return ids;
	}

	private static String field(String json, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("no match for " + regex + " in " + json);
		}
		return matcher.group(1);
	}

	private static int count(String text, String needle) {
		int count = 0;
		for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
			count++;
		}
		return count;
	}

	private static int[] ints(String csv) {
		return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
	}

	private static void print(String label, double[] ms, double setupSeconds) {
		Arrays.sort(ms);
		System.out.printf("%-44s %8.2f %8.2f %8.2f %10.1f%n", label, percentile(ms, 50), percentile(ms, 99),
				Arrays.stream(ms).average().orElseThrow(), setupSeconds);
	}

	private static double percentile(double[] sorted, double p) {
		int rank = (int) Math.ceil(p / 100 * sorted.length);
		return sorted[Math.max(rank, 1) - 1];
	}

}
