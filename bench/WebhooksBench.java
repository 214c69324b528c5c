import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Outgoing webhooks of one Phork process (workers and dispatcher in the server): {@code job.succeeded}
 * events of solid jobs delivered to a receiver on loopback that checks every signature (HMAC-SHA256
 * over {@code id.timestamp.body}) and records when each event arrived.
 * <ul>
 * <li>live: 10 000 jobs submitted by 16 clients while the receiver answers at once: deliveries per
 * second (bounded by how fast the jobs finish) and event-to-delivery latency, from the event's
 * {@code timestamp} (the job's {@code finishedAt}, written by the server) to its arrival;</li>
 * <li>backlog: the receiver holds every request until 10 000 more jobs have finished, so the outbox
 * fills; then it lets go, and the rate at which the dispatcher empties the outbox is its ceiling.</li>
 * </ul>
 * The server must allow http and private URLs, give credits and a daily quota that never run out,
 * and a webhook timeout longer than the backlog takes to fill (bench/run-webhooks-bench.sh).
 *
 * <p>Run: {@code java bench/WebhooksBench.java --url http://localhost:8080 [--events 10000]}
 */
public class WebhooksBench {

	private static final Pattern FIELD = Pattern.compile("\"(id|token|secret|timestamp)\":\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final String url;

	private final int events;

	private HttpServer receiver;

	private final Map<String, Long> arrivedNanos = new ConcurrentHashMap<>();

	private final Map<String, Long> latencyMicros = new ConcurrentHashMap<>();

	private final AtomicInteger badSignatures = new AtomicInteger();

	private final AtomicInteger duplicates = new AtomicInteger();

	private final AtomicLong firstArrival = new AtomicLong();

	private volatile CountDownLatch hold = new CountDownLatch(0);

	private volatile byte[] key;

	WebhooksBench(String url, int events) {
		this.url = url;
		this.events = events;
	}

	public static void main(String[] args) throws Exception {
		String url = null;
		int events = 10_000;
		for (int i = 0; i + 1 < args.length; i += 2) {
			switch (args[i]) {
				case "--url" -> url = args[i + 1];
				case "--events" -> events = Integer.parseInt(args[i + 1]);
				default -> throw new IllegalArgumentException("unknown flag " + args[i]);
			}
		}
		if (url == null) {
			System.err.println("usage: java bench/WebhooksBench.java --url http://localhost:PORT [--events 10000]");
			System.exit(2);
		}
		new WebhooksBench(url, events).run();
	}

	void run() throws Exception {
		receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		receiver.createContext("/", this::receive);
		receiver.start();
		try {
			String email = "bench" + UUID.randomUUID().toString().replace("-", "") + "@example.com";
			String registered = post("/auth/register", null,
					"{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"name\":\"bench\"}", 201);
			String token = field(registered, "token");
			String workspace = registered.replaceAll("(?s).*\"workspace\":\\{\"id\":\"([^\"]+)\".*", "$1");
			String endpoint = post("/workspaces/" + workspace + "/webhooks", token, "{\"url\":\"http://127.0.0.1:"
					+ receiver.getAddress().getPort() + "/hook\",\"events\":[\"job.succeeded\"]}", 201);
			String secret = field(endpoint, "secret");
			key = Base64.getDecoder().decode(secret.substring("whsec_".length()));

			System.out.printf("warm-up: %d jobs%n", 1000);
			phase(token, workspace, 1000, false);

			System.out.printf("%nlive: %d jobs, the receiver answers at once%n", events);
			phase(token, workspace, events, false);

			System.out.printf("%nbacklog: %d jobs while the receiver holds every request, then let go%n", events);
			phase(token, workspace, events, true);
			if (badSignatures.get() > 0 || duplicates.get() > 0) {
				System.out.printf("%nBAD: %d signatures did not verify, %d events arrived twice%n", badSignatures.get(),
						duplicates.get());
				System.exit(1);
			}
			System.out.printf("%nevery signature verified; no event arrived twice%n");
			System.out.printf("target: >= 1000 deliveries/s, event-to-delivery p50 <= 50 ms%n");
		}
		finally {
			hold.countDown();
			receiver.stop(0);
		}
	}

	private void phase(String token, String workspace, int count, boolean backlog) throws Exception {
		arrivedNanos.clear();
		latencyMicros.clear();
		firstArrival.set(0);
		hold = backlog ? new CountDownLatch(1) : new CountDownLatch(0);
		long started = System.nanoTime();
		AtomicInteger next = new AtomicInteger();
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int c = 0; c < 16; c++) {
				clients.submit(() -> {
					while (next.getAndIncrement() < count) {
						post("/jobs/gen-image", token, "{\"workspaceId\":\"" + workspace + "\",\"prompt\":\"bench\",\"provider\":\"solid\",\"seed\":"
								+ ThreadLocalRandom.current().nextInt(1_000_000) + "}", 201);
					}
					return null;
				});
			}
		}
		double submitSeconds = (System.nanoTime() - started) / 1e9;
		System.out.printf("  submitted in %.1f s (%.0f/s)%n", submitSeconds, count / submitSeconds);
		long released = 0;
		if (backlog) {
			awaitNoJobs(token, workspace);
			System.out.printf("  all jobs finished after %.1f s; %d requests held, the rest waits in the outbox%n",
					(System.nanoTime() - started) / 1e9, arrivedNanos.size());
			released = System.nanoTime();
			hold.countDown();
		}
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (arrivedNanos.size() < count && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		if (arrivedNanos.size() < count) {
			throw new IllegalStateException("only " + arrivedNanos.size() + " of " + count + " events arrived");
		}
		long last = arrivedNanos.values().stream().mapToLong(Long::longValue).max().orElseThrow();
		long from = backlog ? released : firstArrival.get();
		double seconds = (last - from) / 1e9;
		System.out.printf("  %d deliveries in %.2f s%s: %.0f deliveries/s%n", count, seconds,
				backlog ? " after the receiver let go" : " from the first arrival to the last", count / seconds);
		if (!backlog) {
			List<Long> sorted = new ArrayList<>(latencyMicros.values());
			sorted.sort(null);
			System.out.printf("  event-to-delivery latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
					percentile(sorted, 0.50) / 1000.0, percentile(sorted, 0.99) / 1000.0, sorted.getLast() / 1000.0);
		}
	}

	/** Waits until the workspace has no queued or running job. */
	private void awaitNoJobs(String token, String workspace) throws Exception {
		while (true) {
			boolean busy = false;
			for (String status : List.of("queued", "running")) {
				busy |= get("/jobs?workspaceId=" + workspace + "&status=" + status + "&limit=1", token).contains("\"type\"");
			}
			if (!busy) {
				return;
			}
			Thread.sleep(500);
		}
	}

	private void receive(HttpExchange exchange) throws IOException {
		Instant arrived = Instant.now();
		byte[] body;
		try (InputStream in = exchange.getRequestBody()) {
			body = in.readAllBytes();
		}
		String id = exchange.getRequestHeaders().getFirst("webhook-id");
		String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
		String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
		String text = new String(body, StandardCharsets.UTF_8);
		if (!verified(id, timestamp, text, signatures)) {
			badSignatures.incrementAndGet();
		}
		try {
			hold.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// A held request counts as delivered when it is let go, not when it first arrived.
		long delivered = System.nanoTime();
		if (arrivedNanos.putIfAbsent(id, delivered) != null) {
			duplicates.incrementAndGet();
		}
		firstArrival.compareAndSet(0, delivered);
		Matcher event = Pattern.compile("\"timestamp\":\"([^\"]+)\"").matcher(text);
		if (event.find()) {
			Instant happened = Instant.parse(event.group(1));
			latencyMicros.put(id, Duration.between(happened, arrived).toNanos() / 1000);
		}
		exchange.sendResponseHeaders(200, -1);
		exchange.close();
	}

	private boolean verified(String id, String timestamp, String body, String signatures) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			for (String signature : signatures.split(" ")) {
				if (signature.startsWith("v1,")
						&& MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
					return true;
				}
			}
			return false;
		}
		catch (Exception ex) {
			return false;
		}
	}

	private static long percentile(List<Long> sorted, double p) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
	}

	private static String field(String json, String name) {
		Matcher matcher = FIELD.matcher(json);
		while (matcher.find()) {
			if (matcher.group(1).equals(name)) {
				return matcher.group(2);
			}
		}
		throw new IllegalStateException("no " + name + " in " + json);
	}

	private String post(String path, String token, String body, int expected) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != expected) {
			throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	private String get(String path, String token) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token).build(),
				HttpResponse.BodyHandlers.ofString()).body();
	}

}
