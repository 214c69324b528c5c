package dev.phork.webhooks;

import dev.phork.common.GroupCommit;
import dev.phork.common.Ids;
import dev.phork.webhooks.WebhookDeliveries.Claimed;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the outbox. One claimer takes as many due deliveries as this process has free slots (one
 * statement, SKIP LOCKED, so any number of processes share the work) and sends each on a virtual
 * thread with {@code java.net.http}: signed headers, no redirects, {@code PHORK_WEBHOOK_TIMEOUT}
 * for the whole exchange, the URL's addresses checked again first. Results are group committed: the
 * attempts that end together are recorded in one transaction. A failure schedules the next attempt
 * (a new pending row with the same event, so the same {@code webhook-id}), gives up when the
 * schedule is used up, and disables the endpoint on 410 Gone or after failing for
 * {@code PHORK_WEBHOOK_DISABLE_AFTER}, leaving a notice in its deliveries. A dispatcher that dies
 * mid-delivery leaves its rows pending; they come due again when their lease runs out.
 */
@Component
class Dispatcher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

	static final String USER_AGENT = "Phork-Webhooks/1.0 (+Standard Webhooks)";

	private final WebhookDeliveries deliveries;

	private final WebhookEndpoints endpoints;

	private final WebhookUrls urls;

	private final Outbox outbox;

	private final DispatchSignal signal;

	private final WebhookSettings settings;

	private final RetrySchedule schedule;

	private final TransactionTemplate tx;

	private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

	private final GroupCommit<Result, Boolean> recording = new GroupCommit<>(this::recordAll);

	private final Semaphore slots;

	private final HttpClient client;

	private volatile boolean running;

	private @Nullable Thread claimer;

	Dispatcher(WebhookDeliveries deliveries, WebhookEndpoints endpoints, WebhookUrls urls, Outbox outbox,
			DispatchSignal signal, WebhookSettings settings, TransactionTemplate tx) {
		this.deliveries = deliveries;
		this.endpoints = endpoints;
		this.urls = urls;
		this.outbox = outbox;
		this.signal = signal;
		this.settings = settings;
		this.schedule = new RetrySchedule(settings.retrySchedule());
		this.tx = tx;
		this.slots = new Semaphore(settings.concurrency());
		this.client = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(settings.timeout())
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

	@Override
	public void start() {
		running = true;
		claimer = Thread.ofVirtual().name("phork-webhooks").start(this::claimLoop);
		log.info("Started the webhook dispatcher, {} deliveries at once ({})", settings.concurrency(), owner);
	}

	@Override
	public void stop() {
		running = false;
		Thread thread = claimer;
		if (thread != null) {
			thread.interrupt();
			claimer = null;
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	private void claimLoop() {
		while (running) {
			try {
				slots.acquire();
				int free = 1 + slots.drainPermits();
				List<Claimed> claimed = List.of();
				try {
					claimed = deliveries.claim(free, owner, settings.lease());
				}
				finally {
					slots.release(free - claimed.size());
				}
				for (Claimed delivery : claimed) {
					Thread.ofVirtual().name("phork-webhook-" + delivery.id()).start(() -> {
						try {
							recording.submit(send(delivery));
						}
						catch (RuntimeException ex) {
							// The row stays pending and comes due again when its lease runs out.
							log.warn("Recording webhook delivery {} failed: {}", delivery.id(), ex.toString());
						}
						finally {
							slots.release();
						}
					});
				}
				if (claimed.isEmpty()) {
					signal.await(settings.pollInterval());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				if (running) {
					log.warn("Claiming webhook deliveries failed: {}", ex.toString());
					sleep(Duration.ofMillis(500));
				}
			}
		}
	}

	/** How one attempt went. */
	record Result(Claimed delivery, boolean succeeded, @Nullable Integer status, int durationMs,
			@Nullable String error, @Nullable Duration retryAfter) {

		boolean gone() {
			return status != null && status == 410;
		}

	}

	Result send(Claimed delivery) {
		long started = System.nanoTime();
		URI uri = URI.create(delivery.url());
		Optional<String> refusal = urls.refusal(uri);
		if (refusal.isPresent()) {
			return new Result(delivery, false, null, 0, "not sent: " + refusal.get(), null);
		}
		long timestamp = Instant.now().getEpochSecond();
		String id = delivery.eventId().toString();
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(settings.timeout())
			.header("Content-Type", "application/json")
			.header("User-Agent", USER_AGENT)
			.header("webhook-id", id)
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature", WebhookSigner.signatureHeader(delivery.secrets(), id, timestamp, delivery.body()))
			.POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
			.build();
		CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
		try {
			HttpResponse<Void> response = exchange.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
			int status = response.statusCode();
			int duration = millisSince(started);
			if (status >= 200 && status < 300) {
				return new Result(delivery, true, status, duration, null, null);
			}
			Duration retryAfter = status == 429 || status == 503
					? retryAfter(response.headers().firstValue("Retry-After").orElse(null)) : null;
			return new Result(delivery, false, status, duration, "HTTP " + status, retryAfter);
		}
		catch (TimeoutException ex) {
			exchange.cancel(true);
			return timedOut(delivery, started);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof HttpTimeoutException) {
				return timedOut(delivery, started);
			}
			String error = cause instanceof ConnectException ? "could not connect"
					: cause instanceof IOException ? "connection failed: " + cause.getClass().getSimpleName()
					: "failed: " + cause.getClass().getSimpleName();
			return new Result(delivery, false, null, millisSince(started), error, null);
		}
		catch (InterruptedException ex) {
			exchange.cancel(true);
			Thread.currentThread().interrupt();
			return new Result(delivery, false, null, millisSince(started), "interrupted: the dispatcher stopped", null);
		}
	}

	private Result timedOut(Claimed delivery, long started) {
		return new Result(delivery, false, null, millisSince(started),
				"timed out after " + settings.timeout().toMillis() + " ms", null);
	}

	/** {@code Retry-After} as seconds or an HTTP date; nothing if it is neither. */
	static @Nullable Duration retryAfter(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
		}
		catch (NumberFormatException notSeconds) {
			try {
				Duration until = Duration.between(Instant.now(),
						ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
				return until.isNegative() ? Duration.ZERO : until;
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

	/**
	 * Records a batch of attempts in one transaction: the successes in one statement, each failure
	 * with what follows from it.
	 */
	private List<Boolean> recordAll(List<Result> batch) {
		return tx.execute(status -> {
			List<Result> successes = batch.stream().filter(Result::succeeded).toList();
			if (!successes.isEmpty()) {
				List<UUID> endpointIds = deliveries.succeeded(successes.stream().map(r -> r.delivery().id()).toList(),
						successes.stream().map(Result::status).toList(),
						successes.stream().map(Result::durationMs).toList(), owner);
				endpoints.succeeded(endpointIds.stream().distinct().toList());
			}
			List<Boolean> recorded = new ArrayList<>(batch.size());
			for (Result result : batch) {
				recorded.add(result.succeeded() || recordFailure(result));
			}
			return recorded;
		});
	}

	private boolean recordFailure(Result result) {
		Claimed delivery = result.delivery();
		String error = result.error() == null ? "failed" : result.error();
		if (result.gone()) {
			if (!deliveries.failed(delivery.id(), owner, "gave_up", result.status(), result.durationMs(), error)) {
				return false;
			}
			disable(delivery.endpointId(), "The endpoint answered 410 Gone.");
			return true;
		}
		Optional<Duration> next = schedule.after(delivery.attempt(), result.retryAfter(),
				ThreadLocalRandom.current().nextDouble());
		boolean failingTooLong = endpoints.failedFor(delivery.endpointId(), settings.disableAfter());
		if (!deliveries.failed(delivery.id(), owner, next.isPresent() && !failingTooLong ? "failed" : "gave_up",
				result.status(), result.durationMs(), error)) {
			return false;
		}
		if (failingTooLong) {
			disable(delivery.endpointId(), "Every attempt failed for " + settings.disableAfter().toHours() + " hours or more.");
		}
		else if (next.isPresent()) {
			deliveries.insert(Ids.newId(), delivery.eventId(), delivery.endpointId(), delivery.attempt() + 1, next.get());
		}
		return true;
	}

	/** Disables the endpoint, gives up what waits for it, and leaves the owner a notice in its deliveries. */
	private void disable(UUID endpointId, String reason) {
		endpoints.disable(endpointId, reason).ifPresent(workspaceId -> {
			deliveries.giveUpPending(endpointId, "not sent: the endpoint was disabled");
			deliveries.notice(outbox.event(workspaceId, WebhookEventTypes.DISABLED, Instant.now(),
					Map.of("webhookId", endpointId, "reason", reason)), endpointId, Ids.newId(), reason);
			log.info("Disabled webhook endpoint {}: {}", endpointId, reason);
		});
	}

	private static int millisSince(long started) {
		return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
