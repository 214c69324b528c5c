package dev.phork.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import dev.phork.ScriptedProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Event streams over real HTTP (issue 8, item 6): they send heartbeats, end when their client
 * leaves or their caller loses access, cost the database nothing while idle, still deliver changes
 * at once, and a user may hold only so many.
 */
class EventStreamTest extends ApiTest {

	private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	/** The end of a stream, as queued by its reader. */
	private static final String END = "\u0000end";

	@Autowired
	MeterRegistry meters;

	private final List<String> parked = new ArrayList<>();

	private final List<Sse> streams = new ArrayList<>();

	@AfterEach
	void releaseEverything() {
		streams.forEach(Sse::close);
		parked.forEach(ScriptedProvider::release);
	}

	@Test
	void anIdleStreamSendsHeartbeats() {
		TestUser user = register();
		Sse stream = open(user, "/jobs/" + parkedJob(user) + "/events");
		stream.await(line -> line.equals("event:progress"));
		// Heartbeats every 200 ms in tests (15 s by default); nothing else happens to the parked job.
		stream.await(line -> line.equals(":heartbeat"));
		stream.await(line -> line.equals(":heartbeat"));
	}

	@Test
	void aClientThatLeavesIsNoticedAndItsStreamReleased() {
		TestUser user = register();
		UUID job = parkedJob(user);
		double before = openStreams();
		Sse stream = open(user, "/jobs/" + job + "/events");
		stream.await(line -> line.equals("event:progress"));
		assertThat(openStreams()).isEqualTo(before + 1);

		stream.close();

		// The next heartbeats fail to write, and the stream ends: no thread, no count, no reads left.
		eventually(Duration.ofSeconds(5), () -> openStreams() == before);
		for (int i = 0; i < 10; i++) {
			open(user, "/jobs/" + job + "/events").await(line -> line.equals("event:progress"));
		}
	}

	@Test
	void idleStreamsDoNotLoadTheDatabase() {
		int users = 5;
		int perUser = 10;
		List<TestUser> owners = new ArrayList<>();
		List<UUID> jobs = new ArrayList<>();
		for (int i = 0; i <= users; i++) {
			TestUser user = register();
			owners.add(user);
			jobs.add(parkedJob(user));
		}
		for (int i = 0; i <= users; i++) {
			awaitStatus(owners.get(i), jobs.get(i), "running");
		}
		// One stream in the first window too, so that both include what costs the same for any
		// number of streams (the access re-check, one query per interval): the difference is what
		// 50 more streams cost.
		open(owners.get(users), "/jobs/" + jobs.get(users) + "/events").await(line -> line.equals("event:progress"));
		long one = transactionsDuring(Duration.ofSeconds(5));

		for (int i = 0; i < users; i++) {
			for (int j = 0; j < perUser; j++) {
				open(owners.get(i), "/jobs/" + jobs.get(i) + "/events");
			}
		}
		streams.subList(1, streams.size()).forEach(stream -> stream.await(line -> line.equals("event:progress")));
		long many = transactionsDuring(Duration.ofSeconds(5));

		System.out.printf("transactions in 5 s: %d with 1 idle stream, %d with %d%n", one, many, streams.size());
		// A poller every 150 ms would add about 1700 here; even one every 5 s per stream would add 50.
		assertThat(many - one).isLessThan(users * perUser);
		streams.forEach(stream -> assertThat(stream.ended()).isFalse());
	}

	@Test
	void eventsArriveAtOnceWhenTheStateChanges() {
		TestUser user = register();
		String tag = UUID.randomUUID().toString();
		UUID job = parkedJob(user, tag);
		awaitStatus(user, job, "running");
		Sse stream = open(user, "/jobs/" + job + "/events");
		stream.await(line -> line.contains("\"status\":\"running\""));

		long released = System.nanoTime();
		ScriptedProvider.release(tag);
		stream.await(line -> line.equals("event:done"));
		Duration took = Duration.ofNanos(System.nanoTime() - released);

		// Woken by the notification: the safety-net re-read comes only every 30 s.
		assertThat(took).isLessThan(Duration.ofSeconds(3));
		stream.await(line -> line.contains("\"status\":\"succeeded\""));
		stream.awaitEnd(Duration.ofSeconds(5));
	}

	@Test
	void aUserOverTheStreamCapIsRefusedWith429() {
		TestUser user = register();
		UUID job = parkedJob(user);
		for (int i = 0; i < 10; i++) {
			open(user, "/jobs/" + job + "/events").await(line -> line.equals("event:progress"));
		}

		Http.Response refused = http.get("/jobs/" + job + "/events", user.token()).assertProblem(429, "too_many_streams");
		assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
		// The cap is per user: a teammate still gets a stream of the same job.
		TestUser teammate = register();
		addMember(user, user.workspaceId(), teammate, "viewer");
		open(teammate, "/jobs/" + job + "/events").await(line -> line.equals("event:progress"));

		double open = openStreams();
		streams.getFirst().close();
		eventually(Duration.ofSeconds(5), () -> openStreams() == open - 1);
		open(user, "/jobs/" + job + "/events").await(line -> line.equals("event:progress"));
	}

	@Test
	void aRemovedMembersStreamEnds() {
		TestUser owner = register();
		TestUser member = register();
		addMember(owner, owner.workspaceId(), member, "viewer");
		UUID job = parkedJob(owner);
		Sse members = open(member, "/jobs/" + job + "/events");
		Sse owners = open(owner, "/jobs/" + job + "/events");
		members.await(line -> line.equals("event:progress"));
		owners.await(line -> line.equals("event:progress"));

		http.delete("/workspaces/" + owner.workspaceId() + "/members/" + member.userId(), owner.token()).assertStatus(204);

		// Access is re-checked every 300 ms in tests (5 s by default).
		members.awaitEnd(Duration.ofSeconds(3));
		owners.await(line -> line.equals(":heartbeat"));
		assertThat(owners.ended()).isFalse();
		http.get("/jobs/" + job + "/events", member.token()).assertStatus(404);
	}

	@Test
	void aPipelineStreamIsRefusedToStrangers() {
		TestUser stranger = register();
		http.get("/pipelines/" + UUID.randomUUID() + "/events", stranger.token()).assertProblem(404, "pipeline_not_found");
	}

	private UUID parkedJob(TestUser user) {
		return parkedJob(user, UUID.randomUUID().toString());
	}

	/** A job that runs until its tag is released, so its stream has nothing to say meanwhile. */
	private UUID parkedJob(TestUser user, String tag) {
		parked.add(tag);
		return submit(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"park:" + tag
				+ "\",\"provider\":\"scripted\"}").assertStatus(201).uuid("id");
	}

	private void awaitStatus(TestUser user, UUID job, String status) {
		eventually(Duration.ofSeconds(10),
				() -> http.get("/jobs/" + job, user.token()).json().get("status").asString().equals(status));
	}

	private double openStreams() {
		return meters.get("phork.sse.streams").gauge().value();
	}

	/**
	 * Transactions the whole database committed or rolled back during {@code window}. A backend may
	 * hold its counts back for up to 10 s after its last flush (PostgreSQL reports statistics at most
	 * once a second, and an idle backend after PGSTAT_IDLE_INTERVAL), so what came before is left to
	 * settle first, lest it be counted in the window.
	 */
	private long transactionsDuring(Duration window) {
		sleep(11_000);
		long start = transactions();
		sleep(window.toMillis());
		return transactions() - start;
	}

	private long transactions() {
		return db.sql("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()")
			.query(Long.class)
			.single();
	}

	private Sse open(TestUser user, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Authorization", "Bearer " + user.token())
			.header("Accept", "text/event-stream")
			.build();
		try {
			HttpResponse<InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
			Sse stream = new Sse(response);
			streams.add(stream);
			return stream;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void eventually(Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("not within " + timeout);
			}
			sleep(50);
		}
	}

	/** One streamed response, its lines read as they arrive by a thread of its own. */
	private static final class Sse {

		private final InputStream body;

		private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

		private volatile boolean ended;

		Sse(HttpResponse<InputStream> response) {
			this.body = response.body();
			Thread.ofVirtual().start(() -> {
				try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
					for (String line; (line = reader.readLine()) != null;) {
						lines.add(line);
					}
				}
				catch (IOException ex) {
					// Closed by the test, or cut by the server: the stream has ended either way.
				}
				ended = true;
				lines.add(END);
			});
		}

		/** Waits (at most 10 s) for a line that matches, skipping the others. */
		void await(Predicate<String> wanted) {
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			try {
				for (String line; (line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null;) {
					if (line.equals(END)) {
						lines.add(END);
						throw new AssertionError("the stream ended before the line that was waited for");
					}
					if (wanted.test(line)) {
						return;
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			throw new AssertionError("no such line within 10 s");
		}

		void awaitEnd(Duration timeout) {
			eventually(timeout, () -> ended);
		}

		boolean ended() {
			return ended;
		}

		void close() {
			try {
				body.close();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
