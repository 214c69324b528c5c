package dev.phork.webhooks;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A webhook receiver on loopback for the tests: every path is an endpoint of its own, which answers
 * the statuses scripted for it (then 200), records what arrived, and can hold a request open. The
 * tests verify each recorded delivery with the reference Standard Webhooks library.
 */
final class WebhookReceiver implements AutoCloseable {

	/** What an endpoint does with one request. */
	record Answer(int status, long delayMillis, Map<String, String> headers, boolean holds) {

		static Answer status(int status) {
			return new Answer(status, 0, Map.of(), false);
		}

		static Answer slow(long delayMillis) {
			return new Answer(200, delayMillis, Map.of(), false);
		}

		static Answer held() {
			return new Answer(200, 0, Map.of(), true);
		}

		Answer with(String header, String value) {
			return new Answer(status, delayMillis, Map.of(header, value), holds);
		}

	}

	/** One request as it arrived, with its headers (names as sent, looked up case-insensitively). */
	record Delivery(Map<String, List<String>> headers, String body, long receivedNanos) {

		String header(String name) {
			List<String> values = headers.get(name);
			return values == null ? "" : values.getFirst();
		}

		/** Verifies with the reference library (timestamp within 5 minutes, any v1 signature). */
		void verify(String secret) throws WebhookVerificationException, EmptyWebhookSecretException {
			new Webhook(secret).verify(body, headers);
		}

	}

	private final HttpServer server;

	private final Map<String, Queue<Answer>> scripts = new ConcurrentHashMap<>();

	private final Map<String, List<Delivery>> received = new ConcurrentHashMap<>();

	private final CountDownLatch released = new CountDownLatch(1);

	WebhookReceiver() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", this::handle);
		server.start();
	}

	String url(String name) {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
	}

	void script(String name, Answer... answers) {
		scripts.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>()).addAll(List.of(answers));
	}

	/** Lets held requests answer (200). */
	void releaseHeld() {
		released.countDown();
	}

	List<Delivery> received(String name) {
		return List.copyOf(received.getOrDefault(name, List.of()));
	}

	/** Waits (up to {@code timeout}) until the deliveries to {@code name} satisfy {@code done}. */
	List<Delivery> await(String name, Duration timeout, Predicate<List<Delivery>> done) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			List<Delivery> now = received(name);
			if (done.test(now)) {
				return now;
			}
			Thread.sleep(25);
		}
		throw new AssertionError("deliveries to " + name + " did not arrive in time; got " + received(name).size());
	}

	List<Delivery> await(String name, int count) throws InterruptedException {
		return await(name, Duration.ofSeconds(30), list -> list.size() >= count);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String name = exchange.getRequestURI().getPath().substring(1);
		byte[] body;
		try (InputStream in = exchange.getRequestBody()) {
			body = in.readAllBytes();
		}
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		exchange.getRequestHeaders().forEach((key, values) -> headers.put(key, new ArrayList<>(values)));
		received.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
			.add(new Delivery(headers, new String(body, StandardCharsets.UTF_8), System.nanoTime()));
		Queue<Answer> script = scripts.get(name);
		Answer answer = script == null || script.isEmpty() ? Answer.status(200) : script.poll();
		try {
			if (answer.holds()) {
				released.await(2, TimeUnit.MINUTES);
			}
			if (answer.delayMillis() > 0) {
				Thread.sleep(answer.delayMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		answer.headers().forEach((key, value) -> exchange.getResponseHeaders().add(key, value));
		try {
			exchange.sendResponseHeaders(answer.status(), -1);
		}
		catch (IOException gone) {
			// The sender gave up (a timeout) or died; nothing to answer.
		}
		exchange.close();
	}

	@Override
	public void close() {
		releaseHeld();
		server.stop(0);
	}

}
