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
 * Measures how fork latency and commit-list latency grow with the length of a project's history,
 * against a running Phork server.
 *
 * <p>A fork is meant to be O(1): it points the new project at the source's head commit and copies
 * nothing, so forking a project with 10 000 commits should cost the same as forking one with 10.
 * Listing commits walks the commit graph shared between a fork and its ancestors, so a page of a
 * fork's history should cost the same as a page of the original's. For each history size this
 * program creates a project with that many commits, warms up with unmeasured calls (the server once,
 * on a throwaway project, so that the first size does not also pay for JIT compilation; then each
 * project), then times (one sequential client, HTTP/1.1 keep-alive, {@link System#nanoTime()} around
 * each call):
 * <ul>
 * <li>{@code POST /projects/{id}/fork} of the project into the user's workspace;</li>
 * <li>{@code GET /projects/{fork}/commits?limit=50} on a fork, which walks into shared history;</li>
 * <li>{@code GET /projects/{id}/commits?limit=50} on the original, for comparison.</li>
 * </ul>
 * It prints p50, p99 and mean per size, and the ratio of fork p50 at the largest size to the smallest
 * against the target: fork p50 at most 5 ms at every size, and the largest within 20% of the smallest.
 *
 * <p>Run: {@code java bench/ForkBench.java --url http://localhost:8080 [--sizes 10,1000,10000] [--samples 500]}
 */
public class ForkBench {

	private static final int SERVER_WARMUP_ROUNDS = 1_000;

	private static final int WARMUP_ROUNDS = 50;

	private static final int PAGE_SIZE = 50;

	private static final double TARGET_FORK_P50_MS = 5.0;

	private static final double TARGET_MAX_GROWTH = 1.20;

	private static final String COMMIT_BODY = """
			{"message":"bench commit","timeline":{"scenes":[{"prompt":"a scene","durationMs":4000}]}}""";

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final String baseUrl;

	private String token;

	private String workspaceId;

	/** Forks go into the benchmark user's own workspace. */
	private String forkBody;

	private ForkBench(String baseUrl) {
		this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
	}

	/** Latencies of one history size, in milliseconds. */
	private record Result(int size, double setupSeconds, double[] forkMs, double[] forkListMs, double[] originalListMs) {
	}

	public static void main(String[] args) throws Exception {
		String url = null;
		int[] sizes = { 10, 1_000, 10_000 };
		int samples = 500;
		for (int i = 0; i < args.length; i += 2) {
			if (i + 1 == args.length) {
				usage("missing value for " + args[i]);
			}
			String value = args[i + 1];
			switch (args[i]) {
				case "--url" -> url = value;
				case "--sizes" -> sizes = Arrays.stream(value.split(",")).map(String::strip).mapToInt(Integer::parseInt)
					.sorted().toArray();
				case "--samples" -> samples = Integer.parseInt(value);
				default -> usage("unknown argument " + args[i]);
			}
		}
		if (url == null) {
			usage("--url is required");
		}
		if (sizes.length == 0 || sizes[0] < 1) {
			usage("--sizes must list history sizes of at least 1");
		}
		if (samples < 1) {
			usage("--samples must be at least 1");
		}

		ForkBench bench = new ForkBench(url);
		bench.register();
		bench.warmUpServer();
		List<Result> results = new ArrayList<>();
		for (int size : sizes) {
			results.add(bench.measure(size, samples));
		}
		print(results, samples);
	}

	private static void usage(String problem) {
		System.err.println(problem);
		System.err.println("usage: java bench/ForkBench.java --url http://localhost:PORT [--sizes 10,1000,10000] [--samples 500]");
		System.exit(2);
	}

	private void register() throws IOException, InterruptedException {
		String email = "bench-" + UUID.randomUUID() + "@example.com";
		String body = send("POST", "/auth/register", """
				{"email":"%s","password":"bench-password-1234","name":"Fork Bench"}""".formatted(email), 201);
		token = field(body, "\"token\"\\s*:\\s*\"([^\"]+)\"");
		workspaceId = field(body, "\"workspace\"\\s*:\\s*\\{[^{}]*?\"id\"\\s*:\\s*\"([^\"]+)\"");
		forkBody = """
				{"workspaceId":"%s"}""".formatted(workspaceId);
	}

	/**
	 * Runs fork and list calls on a small throwaway project until the server's hot paths are compiled,
	 * so that the first size measured does not also pay for JIT compilation.
	 */
	private void warmUpServer() throws IOException, InterruptedException {
		System.err.printf("warming up the server (%d rounds)%n", SERVER_WARMUP_ROUNDS);
		warmUp(subject(createProject(10), 10), SERVER_WARMUP_ROUNDS);
	}

	private Result measure(int size, int samples) throws IOException, InterruptedException {
		System.err.printf("size %d: creating project with %d commits%n", size, size);
		long setupStart = System.nanoTime();
		String projectId = createProject(size);
		double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
		System.err.printf("size %d: setup took %.1f s%n", size, setupSeconds);

		Subject subject = subject(projectId, size);
		warmUp(subject, WARMUP_ROUNDS);
		System.err.printf("size %d: measuring %d samples%n", size, samples);
		double[] forkMs = time(samples, () -> fork(subject));
		double[] forkListMs = time(samples, () -> listFork(subject));
		double[] originalListMs = time(samples, () -> listOriginal(subject));
		return new Result(size, setupSeconds, forkMs, forkListMs, originalListMs);
	}

	/** Creates a project whose history holds {@code size} commits, the initial one included. */
	private String createProject(int size) throws IOException, InterruptedException {
		String projectId = id(send("POST", "/projects", """
				{"workspaceId":"%s","name":"bench %d"}""".formatted(workspaceId, size), 201));
		for (int commits = 2; commits <= size; commits++) {
			send("POST", "/projects/" + projectId + "/commits", COMMIT_BODY, 201);
			if (commits % 1_000 == 0) {
				System.err.printf("size %d: %d/%d commits%n", size, commits, size);
			}
		}
		return projectId;
	}

	/** What the measured calls hit for one project: its fork endpoint, a fork's commit list and its own. */
	private record Subject(String forkPath, String forkList, String originalList) {
	}

	/** Forks the project once for the list calls, and checks both lists see the whole history. */
	private Subject subject(String projectId, int size) throws IOException, InterruptedException {
		String forkPath = "/projects/" + projectId + "/fork";
		String forkId = id(send("POST", forkPath, forkBody, 201));
		Subject subject = new Subject(forkPath, "/projects/" + forkId + "/commits?limit=" + PAGE_SIZE,
				"/projects/" + projectId + "/commits?limit=" + PAGE_SIZE);
		checkPage(send("GET", subject.forkList(), null, 200), size);
		checkPage(send("GET", subject.originalList(), null, 200), size);
		return subject;
	}

	private void fork(Subject subject) throws IOException, InterruptedException {
		send("POST", subject.forkPath(), forkBody, 201);
	}

	private void listFork(Subject subject) throws IOException, InterruptedException {
		send("GET", subject.forkList(), null, 200);
	}

	private void listOriginal(Subject subject) throws IOException, InterruptedException {
		send("GET", subject.originalList(), null, 200);
	}

	private void warmUp(Subject subject, int rounds) throws IOException, InterruptedException {
		for (int i = 0; i < rounds; i++) {
			fork(subject);
			listFork(subject);
			listOriginal(subject);
		}
	}

	/** A page must hold the newest commits of the whole history, not only the fork's own (none). */
	private static void checkPage(String body, int size) {
		int items = count(body, "\"authorId\"");
		if (items != Math.min(size, PAGE_SIZE)) {
			throw new IllegalStateException("expected " + Math.min(size, PAGE_SIZE) + " commits on the first page, got " + items);
		}
	}

	private interface Call {

		void run() throws IOException, InterruptedException;

	}

	private static double[] time(int samples, Call call) throws IOException, InterruptedException {
		double[] ms = new double[samples];
		for (int i = 0; i < samples; i++) {
			long start = System.nanoTime();
			call.run();
			ms[i] = (System.nanoTime() - start) / 1e6;
		}
		Arrays.sort(ms);
		return ms;
	}

	private String send(String method, String path, String json, int expectedStatus) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(30))
			.header("Accept", "application/json");
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (json == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != expectedStatus) {
			throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + " (expected "
					+ expectedStatus + "): " + response.body());
		}
		return response.body();
	}

	/** The top-level id: the first field Jackson writes for projects. */
	private static String id(String json) {
		return field(json, "^\\s*\\{\\s*\"id\"\\s*:\\s*\"([^\"]+)\"");
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

	/** Nearest-rank percentile of sorted samples. */
	private static double percentile(double[] sorted, double p) {
		int rank = (int) Math.ceil(p / 100 * sorted.length);
		return sorted[Math.max(rank, 1) - 1];
	}

	private static double mean(double[] values) {
		return Arrays.stream(values).average().orElseThrow();
	}

	private static void print(List<Result> results, int samples) {
		System.out.printf("%nPhork fork bench: %d samples per measurement, sequential, HTTP/1.1 keep-alive; times in ms%n%n",
				samples);
		System.out.printf("%8s %8s | %8s %8s %8s | %17s | %17s%n", "", "setup", "fork", "fork", "fork",
				"list on fork", "list on original");
		System.out.printf("%8s %8s | %8s %8s %8s | %8s %8s | %8s %8s%n", "commits", "s", "p50", "p99", "mean", "p50",
				"p99", "p50", "p99");
		for (Result r : results) {
			System.out.printf("%8d %8.1f | %8.2f %8.2f %8.2f | %8.2f %8.2f | %8.2f %8.2f%n", r.size(), r.setupSeconds(),
					percentile(r.forkMs(), 50), percentile(r.forkMs(), 99), mean(r.forkMs()),
					percentile(r.forkListMs(), 50), percentile(r.forkListMs(), 99),
					percentile(r.originalListMs(), 50), percentile(r.originalListMs(), 99));
		}

		Result smallest = results.getFirst();
		Result largest = results.getLast();
		double ratio = percentile(largest.forkMs(), 50) / percentile(smallest.forkMs(), 50);
		boolean fastEnough = results.stream().allMatch(r -> percentile(r.forkMs(), 50) <= TARGET_FORK_P50_MS);
		boolean flatEnough = ratio <= TARGET_MAX_GROWTH;
		System.out.printf("%nfork p50 ratio %d/%d: %.2f%n", largest.size(), smallest.size(), ratio);
		System.out.printf("target: fork p50 <= %.0f ms at every size, %d within %.0f%% of %d%n", TARGET_FORK_P50_MS,
				largest.size(), (TARGET_MAX_GROWTH - 1) * 100, smallest.size());
		System.out.printf("p50 <= %.0f ms at every size: %s; within %.0f%%: %s%n", TARGET_FORK_P50_MS,
				fastEnough ? "yes" : "no", (TARGET_MAX_GROWTH - 1) * 100, flatEnough ? "yes" : "no");
	}

}
