import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server time and weight of a studio project page, against a running Phork server.
 *
 * <p>It registers a user, makes a project whose history has {@code --commits} commits, the last
 * {@code --scenes} scenes long, then fetches {@code GET /studio/projects/{id}} with the session
 * cookie (the cookie's value is a sign-in token, so the API's token serves) from one sequential
 * client: unmeasured warm-up calls, then {@code --samples} timed ones ({@link System#nanoTime()}
 * around each full response, on loopback, so it is server time plus a little transfer). It prints
 * p50, p95, p99 against the target p95 <= 50 ms, and the page's weight: its HTML plus the
 * stylesheet and scripts it loads, against 150 KB.
 *
 * <p>Run: {@code java bench/StudioBench.java --url http://localhost:8080 [--scenes 50] [--commits 200] [--samples 300]}
 */
public class StudioBench {

	private static final double TARGET_P95_MS = 50.0;

	private static final long TARGET_BYTES = 150 * 1024;

	private static final Pattern ASSET = Pattern.compile("(?:href|src)=\"(/(?:studio/css|studio/js|webjars)/[^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10)).build();

	public static void main(String[] args) throws Exception {
		String url = null;
		int scenes = 50;
		int commits = 200;
		int samples = 300;
		for (int i = 0; i + 1 < args.length; i += 2) {
			switch (args[i]) {
				case "--url" -> url = args[i + 1];
				case "--scenes" -> scenes = Integer.parseInt(args[i + 1]);
				case "--commits" -> commits = Integer.parseInt(args[i + 1]);
				case "--samples" -> samples = Integer.parseInt(args[i + 1]);
				default -> throw new IllegalArgumentException("unknown option " + args[i]);
			}
		}
		if (url == null) {
			throw new IllegalArgumentException("--url is required");
		}
		new StudioBench().run(url.replaceAll("/$", ""), scenes, commits, samples);
	}

	private void run(String base, int scenes, int commits, int samples) throws Exception {
		String email = "bench" + System.nanoTime() + "@example.com";
		String registered = send(base, "POST", "/auth/register", null,
				"{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"name\":\"Bench\"}");
		String token = field(registered, "token");
		String workspace = field(registered.substring(registered.indexOf("\"workspace\"")), "id");
		String project = field(send(base, "POST", "/projects", token,
				"{\"workspaceId\":\"" + workspace + "\",\"name\":\"bench project\"}"), "id");
		StringJoiner scenesJson = new StringJoiner(",", "[", "]");
		for (int s = 0; s < scenes; s++) {
			scenesJson.add("{\"prompt\":\"scene " + s + ": a harbour at dawn, gulls over the water\",\"durationMs\":4000}");
		}
		long setup = System.nanoTime();
		for (int c = 1; c < commits; c++) {
			String timeline = c == commits - 1 ? scenesJson.toString() : "[{\"prompt\":\"draft " + c + "\"}]";
			send(base, "POST", "/projects/" + project + "/commits", token,
					"{\"message\":\"commit " + c + "\",\"timeline\":{\"scenes\":" + timeline + "}}");
		}
		System.out.printf("setup: %d commits, head with %d scenes, in %.1f s%n", commits, scenes,
				(System.nanoTime() - setup) / 1e9);
		String path = "/studio/projects/" + project;
		for (int i = 0; i < 50; i++) {
			page(base, path, token);
		}
		double[] ms = new double[samples];
		String html = "";
		for (int i = 0; i < samples; i++) {
			long t0 = System.nanoTime();
			html = page(base, path, token);
			ms[i] = (System.nanoTime() - t0) / 1e6;
		}
		Arrays.sort(ms);
		double p95 = ms[(int) Math.ceil(samples * 0.95) - 1];
		System.out.printf("GET %s: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms (target p95 <= %.0f ms: %s)%n", "/studio/projects/{id}",
				ms[samples / 2], p95, ms[(int) Math.ceil(samples * 0.99) - 1], TARGET_P95_MS,
				p95 <= TARGET_P95_MS ? "met" : "NOT met");
		long bytes = html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
		long total = bytes;
		Matcher m = ASSET.matcher(html);
		while (m.find()) {
			long size = page(base, m.group(1), token).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
			System.out.printf("  %s: %d bytes%n", m.group(1), size);
			total += size;
		}
		System.out.printf("weight: HTML %d bytes + CSS and JS = %d bytes, uncompressed (target <= %d: %s)%n", bytes, total,
				TARGET_BYTES, total <= TARGET_BYTES ? "met" : "NOT met");
	}

	private String page(String base, String path, String token) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Cookie", "phork_session=" + token).GET().build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(path + " answered " + response.statusCode());
		}
		return response.body();
	}

	private String send(String base, String method, String path, String token, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	private static String field(String json, String name) {
		Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
		if (!m.find()) {
			throw new IllegalStateException("no " + name + " in " + json);
		}
		return m.group(1);
	}

}
