import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Measures the job engine of a running Phork server, one part per run:
 * <ul>
 * <li>{@code submit}: accepted submissions per second of {@code POST /jobs/gen-image} with the in-process
 * {@code solid} provider (each with its own Idempotency-Key and a random seed), from concurrent clients (virtual threads sharing one HTTP/1.1 keep-alive
 * client), all into one hot workspace with 1, 4, 16 and 64 clients, then 64 clients each in its own
 * workspace. Each row warms up, then counts the answers that arrive within the measured window. The
 * server must run with workers disabled (so only submission is measured) and with credits and daily
 * quota that never run out.</li>
 * <li>{@code pickup}: with workers enabled, how long a job waits between its creation and a worker
 * starting it ({@code startedAt - createdAt}, server timestamps) when jobs are submitted one at a
 * time, each after the previous finished; then how 3000 solid jobs fare when 16 clients submit them
 * as fast as they can into 16 workspaces while the workers run.</li>
 * <li>{@code drain}: the workers' ceiling: 20 000 solid jobs are queued while the server's workers
 * are off, then one {@code phork.jar worker} process on the same database empties the queue; the
 * rate counts the 12 000 jobs after the first 8 000 (the fresh process's warm-up).</li>
 * <li>{@code stream}: uploads a 200 MB "PNG" (the PNG signature, then random bytes), downloads it
 * through its signed URL, and compares the rate with {@code cat}ting its blob file (in the server's
 * data folder) to {@code /dev/null}; {@code curl} downloads it too, as a second client.</li>
 * <li>{@code render}: generates three 4.5 s clips and a voice-over, commits them as three scenes, and
 * compares a render job's time ({@code finishedAt - startedAt}) with running Renderer's FFmpeg steps
 * by hand on the same blob files: ffprobe of every input, one segment per scene, the concat join,
 * ffprobe of the output. The commands are Renderer's own, which the identical output (same sha256 as
 * the render asset) confirms.</li>
 * </ul>
 *
 * <p>Run: {@code java bench/JobsBench.java submit|pickup|drain|stream|render --url http://localhost:8080
 * [--data-dir DIR] [flags]}; every part accepts every flag and uses its own (see {@link #usage}).
 * bench/run-jobs-bench.sh starts a server configured for each part. CPU figures read /proc/stat (Linux).
 */
public class JobsBench {

	private static final double TARGET_HOT_PER_SECOND = 1_000;

	private static final double TARGET_NO_COLLAPSE = 0.80;

	private static final double TARGET_SPREAD_PER_SECOND = 2_500;

	private static final double TARGET_PICKUP_P50_MS = 5;

	private static final double TARGET_PICKUP_P99_MS = 20;

	private static final double TARGET_COMPLETIONS_PER_SECOND = 1_500;

	private static final double TARGET_STREAM_RATIO = 0.80;

	private static final double TARGET_RENDER_OVERHEAD = 1.10;

	private static final int PICKUP_WARMUP_JOBS = 50;

	private static final int THROUGHPUT_WARMUP_JOBS = 500;

	/** A job that is started and done in a few milliseconds is worth looking at often. */
	private static final Duration PICKUP_POLL = Duration.ofMillis(2);

	/** While thousands of jobs drain, one waiting client looks rarely, to leave the CPU to the workers. */
	private static final Duration BURST_POLL = Duration.ofMillis(50);

	/** Draining thousands of jobs takes seconds; looking twice a second costs the workers nothing. */
	private static final Duration DRAIN_POLL = Duration.ofMillis(500);

	/** Fewer jobs left queued when submission ends say too little about the rate at which workers drain it. */
	private static final int MIN_BACKLOG = 100;

	/** The client's download path needs a few reads before the JIT has compiled it. */
	private static final int STREAM_WARMUP_READS = 3;

	private static final int CLIP_MS = 4_500;

	/** Rare enough that polling for media jobs takes no noticeable CPU from their FFmpeg processes. */
	private static final Duration RENDER_POLL = Duration.ofMillis(250);

	private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A };

	/** Renderer's and MediaEncoding's constants and arguments, for MediaFormat (640x360, 25 fps, 48 kHz stereo). */
	private static final int FPS = 25;

	private static final String SILENCE = "anullsrc=r=48000:cl=stereo";

	private static final String AUDIO_FORMAT = "aresample=48000,aformat=sample_fmts=s16:channel_layouts=stereo";

	private static final String VIDEO_FORMAT = "scale=640:360:force_original_aspect_ratio=decrease,"
			+ "pad=640:360:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=25,format=yuv420p";

	private static final List<String> FFMPEG = List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y");

	private static final List<String> VIDEO_ENCODING = List.of("-c:v", "libx264", "-preset", "veryfast", "-pix_fmt",
			"yuv420p", "-r", "25", "-g", "25", "-threads", "2", "-flags:v", "+bitexact");

	private static final List<String> AUDIO_ENCODING = List.of("-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
			"-flags:a", "+bitexact");

	private static final List<String> CONTAINER = List.of("-fflags", "+bitexact", "-map_metadata", "-1", "-movflags",
			"+faststart");

	private static final String SHA256_FIELD = "\"sha256\"\\s*:\\s*\"([0-9a-f]{64})\"";

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final Options options;

	private JobsBench(Options options) {
		this.options = options;
	}

	/** Every flag, with its default; each part reads the ones it needs. */
	private record Options(String url, Path dataDir, int[] hotClients, int spreadClients, Duration warmup,
			Duration duration, Duration serverWarmup, int samples, int jobs, int submitters, int sizeMb, int reads,
			int renders, int drainJobs, int drainWarmup) {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			usage("name a part: submit, pickup, stream or render");
		}
		String part = args[0];
		String url = null;
		Path dataDir = null;
		int[] hotClients = { 1, 4, 16, 64 };
		int spreadClients = 64;
		Duration warmup = Duration.ofSeconds(3);
		Duration duration = Duration.ofSeconds(10);
		Duration serverWarmup = Duration.ofSeconds(10);
		int samples = 300;
		int jobs = 3_000;
		int submitters = 16;
		int sizeMb = 200;
		int reads = 5;
		int renders = 3;
		int drainJobs = 12_000;
		int drainWarmup = 8_000;
		for (int i = 1; i < args.length; i += 2) {
			if (i + 1 == args.length) {
				usage("missing value for " + args[i]);
			}
			String value = args[i + 1];
			switch (args[i]) {
				case "--url" -> url = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
				case "--data-dir" -> dataDir = Path.of(value);
				case "--clients" -> hotClients = Arrays.stream(value.split(",")).map(String::strip)
					.mapToInt(Integer::parseInt).sorted().toArray();
				case "--spread" -> spreadClients = Integer.parseInt(value);
				case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(value));
				case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(value));
				case "--server-warmup" -> serverWarmup = Duration.ofSeconds(Long.parseLong(value));
				case "--samples" -> samples = Integer.parseInt(value);
				case "--jobs" -> jobs = Integer.parseInt(value);
				case "--submitters" -> submitters = Integer.parseInt(value);
				case "--size-mb" -> sizeMb = Integer.parseInt(value);
				case "--reads" -> reads = Integer.parseInt(value);
				case "--renders" -> renders = Integer.parseInt(value);
				case "--drain-jobs" -> drainJobs = Integer.parseInt(value);
				case "--drain-warmup" -> drainWarmup = Integer.parseInt(value);
				default -> usage("unknown argument " + args[i]);
			}
		}
		if (url == null) {
			usage("--url is required");
		}
		if (hotClients.length == 0 || hotClients[0] < 1 || spreadClients < 1 || duration.isZero() || samples < 1
				|| jobs < 1 || submitters < 1 || sizeMb < 1 || reads < 1 || renders < 1 || drainJobs < 1 || drainWarmup < 0) {
			usage("counts and --duration must be at least 1");
		}
		if (dataDir == null && System.getenv("PHORK_BENCH_DATA_DIR") != null) {
			dataDir = Path.of(System.getenv("PHORK_BENCH_DATA_DIR"));
		}
		if (dataDir == null && (part.equals("stream") || part.equals("render") || part.equals("drain"))) {
			usage("--data-dir (the server's PHORK_DATA_DIR) is required for " + part);
		}

		JobsBench bench = new JobsBench(new Options(url, dataDir, hotClients, spreadClients, warmup, duration,
				serverWarmup, samples, jobs, submitters, sizeMb, reads, renders, drainJobs, drainWarmup));
		switch (part) {
			case "submit" -> bench.submit();
			case "pickup" -> bench.pickup();
			case "stream" -> bench.stream();
			case "render" -> bench.render();
			case "drain" -> bench.drain();
			default -> usage("unknown part " + part);
		}
	}

	private static void usage(String problem) {
		System.err.println(problem);
		System.err.println("""
				usage: java bench/JobsBench.java submit|pickup|drain|stream|render --url http://localhost:PORT [flags]
				  submit: --clients 1,4,16,64 (hot workspace) --spread 64 (clients, one workspace each)
				          --warmup 3 --duration 10 (s per row) --server-warmup 10 (s, before the first row)
				  pickup: --samples 300 (sequential jobs) --jobs 3000 --submitters 16 (throughput)
				  drain:  --data-dir DIR --drain-warmup 8000 --drain-jobs 12000 --submitters 16 (all queued first,
				          then one worker process; the rate counts the jobs after the warm-up ones)
				  stream: --data-dir DIR --size-mb 200 --reads 5
				  render: --data-dir DIR --renders 3""");
		System.exit(2);
	}

	// ---------------------------------------------------------------- submit

	/** One row of the submission table; latencies of accepted submissions, sorted, in nanoseconds. */
	private record LoadResult(String label, int clients, int workspaces, double seconds, long[] acceptedNanos,
			Map<String, Integer> errors, Cpu cpu) {

		double perSecond() {
			return acceptedNanos.length / seconds;
		}

	}

	private void submit() throws Exception {
		System.err.printf("registering 1 + %d users%n", options.spreadClients());
		Account hot = register("hot");
		List<Account> spread = registerMany("spread", options.spreadClients());
		System.err.printf("warming up the server (%d s, %d clients)%n", options.serverWarmup().toSeconds(), spread.size());
		load("warm-up", spread, spread.size(), Duration.ZERO, options.serverWarmup());

		List<LoadResult> results = new ArrayList<>();
		for (int clients : options.hotClients()) {
			results.add(load("hot", List.of(hot), clients, options.warmup(), options.duration()));
		}
		results.add(load("spread", spread, spread.size(), options.warmup(), options.duration()));
		printSubmit(results);
	}

	/**
	 * Runs {@code clients} submitters (client i in {@code accounts[i % size]}) for warm-up plus duration
	 * and counts the answers that arrive within the measured window.
	 */
	private LoadResult load(String label, List<Account> accounts, int clients, Duration warmup, Duration duration)
			throws InterruptedException {
		System.err.printf("%s: %d clients, %d workspaces%n", label, clients, Math.min(clients, accounts.size()));
		long from = System.nanoTime() + warmup.toNanos();
		long to = from + duration.toNanos();
		List<ClientLog> logs = new ArrayList<>();
		Cpu cpu;
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int c = 0; c < clients; c++) {
				Account account = accounts.get(c % accounts.size());
				ClientLog log = new ClientLog();
				logs.add(log);
				pool.submit(() -> drive(account, log, from, to));
			}
			sleepUntil(from);
			Cpu start = Cpu.now();
			sleepUntil(to);
			cpu = Cpu.now().since(start);
		}
		LongList accepted = new LongList();
		Map<String, Integer> errors = new TreeMap<>();
		for (ClientLog log : logs) {
			accepted.addAll(log.accepted);
			log.errors.forEach((outcome, count) -> errors.merge(outcome, count, Integer::sum));
		}
		return new LoadResult(label, clients, Math.min(clients, accounts.size()), duration.toNanos() / 1e9,
				accepted.sorted(), errors, cpu);
	}

	/** What one submitting client saw: latencies of 201s, and every other outcome counted. */
	private static final class ClientLog {

		private final LongList accepted = new LongList();

		private final Map<String, Integer> errors = new TreeMap<>();

	}

	private Void drive(Account account, ClientLog log, long from, long to) throws InterruptedException {
		while (System.nanoTime() < to) {
			long sent = System.nanoTime();
			String outcome;
			try {
				outcome = String.valueOf(
						http.send(solidJob(account), HttpResponse.BodyHandlers.discarding()).statusCode());
			}
			catch (IOException ex) {
				outcome = ex.getClass().getSimpleName();
			}
			long answered = System.nanoTime();
			if (answered < from || answered > to) {
				continue;
			}
			if (outcome.equals("201")) {
				log.accepted.add(answered - sent);
			}
			else {
				log.errors.merge(outcome, 1, Integer::sum);
			}
		}
		return null;
	}

	private void printSubmit(List<LoadResult> results) {
		System.out.printf("%nPhork submission bench: POST /jobs/gen-image {provider: solid}, workers disabled, "
				+ "%d s warm-up + %d s measured per row; latency of accepted submissions in ms%n%n",
				options.warmup().toSeconds(), options.duration().toSeconds());
		System.out.printf("%-7s %7s %10s | %10s %7s %7s %7s | %-22s | %8s %8s%n", "run", "clients", "workspaces",
				"accepted/s", "p50", "p99", "max", "errors", "machine", "client");
		System.out.printf("%-7s %7s %10s | %10s %7s %7s %7s | %-22s | %8s %8s%n", "", "", "", "", "", "", "", "",
				"CPU busy", "cores");
		for (LoadResult r : results) {
			String errors = r.errors().isEmpty() ? "none" : r.errors().toString();
			System.out.printf("%-7s %7d %10d | %10.0f %7.2f %7.2f %7.2f | %-22s | %7.0f%% %8.2f%n", r.label(),
					r.clients(), r.workspaces(), r.perSecond(), millis(percentile(r.acceptedNanos(), 50)),
					millis(percentile(r.acceptedNanos(), 99)), millis(max(r.acceptedNanos())), errors,
					r.cpu().machineBusy() * 100, r.cpu().clientCores());
		}

		List<LoadResult> hot = results.stream().filter(r -> r.label().equals("hot")).toList();
		LoadResult mostClients = hot.getLast();
		double best = hot.stream().mapToDouble(LoadResult::perSecond).max().orElseThrow();
		double spread = results.getLast().perSecond();
		System.out.printf("%nhot, %d clients: %.0f/s (best hot row %.0f/s, %.0f%% of it)%n", mostClients.clients(),
				mostClients.perSecond(), best, mostClients.perSecond() / best * 100);
		System.out.printf("target: hot >= %.0f/s with no collapse (the most clients keep >= %.0f%% of the best hot row); "
				+ "spread >= %.0f/s%n", TARGET_HOT_PER_SECOND, TARGET_NO_COLLAPSE * 100, TARGET_SPREAD_PER_SECOND);
		System.out.printf("hot >= %.0f/s: %s; no collapse: %s; spread >= %.0f/s: %s%n", TARGET_HOT_PER_SECOND,
				yesNo(mostClients.perSecond() >= TARGET_HOT_PER_SECOND),
				yesNo(mostClients.perSecond() >= TARGET_NO_COLLAPSE * best), TARGET_SPREAD_PER_SECOND,
				yesNo(spread >= TARGET_SPREAD_PER_SECOND));
	}

	// ---------------------------------------------------------------- pickup and completions

	private void pickup() throws Exception {
		Account account = register("pickup");
		System.err.printf("pickup: %d unmeasured jobs, then %d measured, one at a time%n", PICKUP_WARMUP_JOBS,
				options.samples());
		for (int i = 0; i < PICKUP_WARMUP_JOBS; i++) {
			await(account, submitSolid(account), PICKUP_POLL);
		}
		long[] pickupNanos = new long[options.samples()];
		long[] runNanos = new long[options.samples()];
		for (int i = 0; i < options.samples(); i++) {
			Job job = succeeded(await(account, submitSolid(account), PICKUP_POLL));
			pickupNanos[i] = Duration.between(job.createdAt(), job.startedAt()).toNanos();
			runNanos[i] = Duration.between(job.startedAt(), job.finishedAt()).toNanos();
		}
		Arrays.sort(pickupNanos);
		Arrays.sort(runNanos);

		List<Account> accounts = registerMany("throughput", options.submitters());
		System.err.printf("throughput: %d unmeasured jobs from %d clients%n", THROUGHPUT_WARMUP_JOBS, accounts.size());
		burst(accounts, THROUGHPUT_WARMUP_JOBS);
		System.err.printf("throughput: %d jobs from %d clients%n", options.jobs(), accounts.size());
		Burst burst = burst(accounts, options.jobs());
		printPickup(pickupNanos, runNanos, burst);
	}

	/** A batch of jobs submitted as fast as possible, all finished. */
	private record Burst(int clients, double submitSeconds, List<Job> jobs) {
	}

	/** Submits {@code count} solid jobs from one client per account, then waits until all have succeeded. */
	private Burst burst(List<Account> accounts, int count) throws Exception {
		long start = System.nanoTime();
		List<List<String>> ids = submitSolids(accounts, count);
		double submitSeconds = (System.nanoTime() - start) / 1e9;
		return new Burst(accounts.size(), submitSeconds, awaitAll(accounts, ids, BURST_POLL));
	}

	/** Submits {@code count} solid jobs, one client per account; answers each account's job ids in order. */
	private List<List<String>> submitSolids(List<Account> accounts, int count) throws Exception {
		AtomicInteger next = new AtomicInteger();
		return all(accounts.stream().<Callable<List<String>>>map(account -> () -> {
			List<String> ids = new ArrayList<>();
			while (next.getAndIncrement() < count) {
				ids.add(submitSolid(account));
			}
			return ids;
		}).toList());
	}

	/**
	 * Waits until all the jobs have succeeded: one thread polls each account's last job every
	 * {@code every} (jobs of a workspace are claimed in order), then all jobs are read at once, so
	 * that polling adds little load while the workers drain the queue.
	 */
	private List<Job> awaitAll(List<Account> accounts, List<List<String>> ids, Duration every) throws Exception {
		for (int c = 0; c < accounts.size(); c++) {
			if (!ids.get(c).isEmpty()) {
				await(accounts.get(c), ids.get(c).getLast(), every);
			}
		}
		List<Callable<List<Job>>> readers = new ArrayList<>();
		for (int c = 0; c < accounts.size(); c++) {
			Account account = accounts.get(c);
			List<String> own = ids.get(c);
			readers.add(() -> {
				List<Job> jobs = new ArrayList<>();
				for (String id : own) {
					jobs.add(succeeded(await(account, id, Duration.ZERO)));
				}
				return jobs;
			});
		}
		return all(readers).stream().flatMap(List::stream).toList();
	}

	private void printPickup(long[] pickupNanos, long[] runNanos, Burst burst) {
		System.out.printf("%nPhork worker bench: solid gen-image jobs; server timestamps; times in ms%n%n");
		System.out.printf("pickup (startedAt - createdAt), %d jobs one at a time: p50 %.2f  p99 %.2f  max %.2f  mean %.2f%n",
				pickupNanos.length, millis(percentile(pickupNanos, 50)), millis(percentile(pickupNanos, 99)),
				millis(max(pickupNanos)), millis(mean(pickupNanos)));
		System.out.printf("run (finishedAt - startedAt) of those jobs:          p50 %.2f  p99 %.2f%n",
				millis(percentile(runNanos, 50)), millis(percentile(runNanos, 99)));

		List<Job> jobs = burst.jobs();
		Instant firstCreated = jobs.stream().map(Job::createdAt).min(Comparator.naturalOrder()).orElseThrow();
		Instant lastCreated = jobs.stream().map(Job::createdAt).max(Comparator.naturalOrder()).orElseThrow();
		Instant lastFinished = jobs.stream().map(Job::finishedAt).max(Comparator.naturalOrder()).orElseThrow();
		double wallSeconds = Duration.between(firstCreated, lastFinished).toNanos() / 1e9;
		long backlog = jobs.stream().filter(job -> job.finishedAt().isAfter(lastCreated)).count();
		double drainSeconds = Duration.between(lastCreated, lastFinished).toNanos() / 1e9;
		long[] waits = jobs.stream().mapToLong(job -> Duration.between(job.createdAt(), job.startedAt()).toNanos())
			.sorted().toArray();
		long[] runs = jobs.stream().mapToLong(job -> Duration.between(job.startedAt(), job.finishedAt()).toNanos())
			.sorted().toArray();
		double completions = jobs.size() / wallSeconds;

		System.out.printf("%n%d jobs from %d clients into %d workspaces:%n", jobs.size(), burst.clients(), burst.clients());
		System.out.printf("  submitted in %.2f s (client clock): %.0f submissions/s%n", burst.submitSeconds(),
				jobs.size() / burst.submitSeconds());
		System.out.printf("  first createdAt to last finishedAt: %.2f s: %.0f completed jobs/s%n", wallSeconds, completions);
		System.out.printf("  best 1 s of completions: %d jobs%n", bestSecond(jobs));
		System.out.printf("  still unfinished at the last createdAt: %d jobs, done %.2f s later%s%n", backlog,
				drainSeconds, backlog >= MIN_BACKLOG ? String.format(" (%.0f jobs/s)", backlog / drainSeconds) : "");
		System.out.printf("  queue wait (startedAt - createdAt): p50 %.2f  p99 %.2f; run: p50 %.2f  p99 %.2f%n",
				millis(percentile(waits, 50)), millis(percentile(waits, 99)), millis(percentile(runs, 50)),
				millis(percentile(runs, 99)));

		System.out.printf("%ntarget: pickup p50 <= %.0f ms, p99 <= %.0f ms (completed jobs/s: see the drain part)%n",
				TARGET_PICKUP_P50_MS, TARGET_PICKUP_P99_MS);
		System.out.printf("pickup p50: %s; pickup p99: %s%n", yesNo(millis(percentile(pickupNanos, 50)) <= TARGET_PICKUP_P50_MS),
				yesNo(millis(percentile(pickupNanos, 99)) <= TARGET_PICKUP_P99_MS));
	}

	/** The most jobs that finished within any one second. */
	private static int bestSecond(List<Job> jobs) {
		List<Instant> finished = jobs.stream().map(Job::finishedAt).sorted().toList();
		int best = 0;
		int first = 0;
		for (int last = 0; last < finished.size(); last++) {
			while (Duration.between(finished.get(first), finished.get(last)).compareTo(Duration.ofSeconds(1)) >= 0) {
				first++;
			}
			best = Math.max(best, last - first + 1);
		}
		return best;
	}

	// ---------------------------------------------------------------- drain

	/**
	 * The workers' own ceiling: fills the queue of a server whose workers are off, then starts one
	 * {@code phork.jar worker} process on the same data folder (so the same database) and times how
	 * fast it empties the queue. The first {@code --drain-warmup} completions warm the fresh worker
	 * process up (its JIT compiler competes for the same two cores at first); the rate is that of the
	 * {@code --drain-jobs} after them, while the queue is still full. The whole drain, warm-up
	 * included, is printed too.
	 */
	private void drain() throws Exception {
		List<Account> accounts = registerMany("drain", options.submitters());
		int total = options.drainWarmup() + options.drainJobs();
		System.err.printf("drain: queueing %d jobs from %d clients into %d workspaces%n", total, accounts.size(),
				accounts.size());
		List<List<String>> ids = submitSolids(accounts, total);

		Path log = options.dataDir().resolve("worker.log");
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", System.getenv().getOrDefault("PHORK_JAR", "target/phork.jar"), "worker")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().put("PHORK_DATA_DIR", options.dataDir().toString());
		builder.environment().put("PHORK_WORKER_ENABLED", "true");
		System.err.printf("drain: starting a worker process (log: %s)%n", log);
		Process worker = builder.start();
		List<Job> jobs;
		try {
			jobs = awaitAll(accounts, ids, DRAIN_POLL);
		}
		finally {
			worker.destroy();
			worker.waitFor(30, TimeUnit.SECONDS);
		}

		List<Instant> finished = jobs.stream().map(Job::finishedAt).sorted().toList();
		Instant firstStarted = jobs.stream().map(Job::startedAt).min(Comparator.naturalOrder()).orElseThrow();
		double wholeSeconds = Duration.between(firstStarted, finished.getLast()).toNanos() / 1e9;
		Instant warm = options.drainWarmup() == 0 ? firstStarted : finished.get(options.drainWarmup() - 1);
		double measuredSeconds = Duration.between(warm, finished.getLast()).toNanos() / 1e9;
		double completions = options.drainJobs() / measuredSeconds;
		long[] runs = jobs.stream().mapToLong(job -> Duration.between(job.startedAt(), job.finishedAt()).toNanos())
			.sorted().toArray();
		int[] perSecond = new int[(int) Math.ceil(wholeSeconds) + 1];
		finished.forEach(at -> perSecond[(int) (Duration.between(firstStarted, at).toNanos() / 1_000_000_000L)]++);

		System.out.printf("%nPhork drain bench: %d solid gen-image jobs queued in %d workspaces, then drained by one "
				+ "worker process; server timestamps%n%n", jobs.size(), accounts.size());
		System.out.printf("whole drain (first startedAt to last finishedAt): %.2f s: %.0f completed jobs/s%n",
				wholeSeconds, jobs.size() / wholeSeconds);
		System.out.printf("after the first %d completions (warm-up): %d jobs in %.2f s: %.0f completed jobs/s%n",
				options.drainWarmup(), options.drainJobs(), measuredSeconds, completions);
		System.out.printf("best 1 s of completions: %d jobs%n", bestSecond(jobs));
		System.out.printf("completions in each second: %s%n", Arrays.toString(perSecond));
		System.out.printf("run (finishedAt - startedAt): p50 %.2f  p99 %.2f ms%n", millis(percentile(runs, 50)),
				millis(percentile(runs, 99)));
		System.out.printf("%ntarget: completions >= %.0f jobs/s (after warm-up): %s%n", TARGET_COMPLETIONS_PER_SECOND,
				yesNo(completions >= TARGET_COMPLETIONS_PER_SECOND));
	}

	// ---------------------------------------------------------------- stream

	private void stream() throws Exception {
		Account account = register("stream");
		long size = options.sizeMb() * 1_000_000L;
		System.err.printf("stream: uploading a %d MB PNG%n", options.sizeMb());
		String asset;
		Path upload = Files.createTempFile("phork-stream-bench-", ".png");
		try {
			writePng(upload, size);
			asset = upload(account, upload);
		}
		finally {
			Files.deleteIfExists(upload);
		}
		String sha = field(asset, SHA256_FIELD);
		String url = options.url() + field(asset, "\"url\"\\s*:\\s*\"([^\"]+)\"");
		Path blob = blobPath(sha);
		if (Files.size(blob) != size) {
			throw new IllegalStateException("blob " + blob + " holds " + Files.size(blob) + " bytes, expected " + size);
		}

		try (BareServer bare = new BareServer(blob)) {
			System.err.printf("stream: %d unmeasured reads each, then %d measured%n", STREAM_WARMUP_READS,
					options.reads());
			for (int i = 0; i < STREAM_WARMUP_READS; i++) {
				download(url, size);
				cat(blob);
				curl(url, size);
				curl(bare.url(), size);
			}
			double[] server = new double[options.reads()];
			double[] cat = new double[options.reads()];
			double[] curl = new double[options.reads()];
			double[] bareCurl = new double[options.reads()];
			for (int i = 0; i < options.reads(); i++) {
				server[i] = rate(size, download(url, size));
			}
			for (int i = 0; i < options.reads(); i++) {
				cat[i] = rate(size, cat(blob));
			}
			for (int i = 0; i < options.reads(); i++) {
				curl[i] = rate(size, curl(url, size));
			}
			for (int i = 0; i < options.reads(); i++) {
				bareCurl[i] = rate(size, curl(bare.url(), size));
			}
			printStream(server, cat, curl, bareCurl);
		}
	}

	private void printStream(double[] server, double[] cat, double[] curl, double[] bareCurl) {
		Arrays.sort(server);
		Arrays.sort(cat);
		Arrays.sort(curl);
		Arrays.sort(bareCurl);

		System.out.printf("%nPhork streaming bench: a %d MB asset, %d reads each; MB/s (1 MB = 10^6 bytes), "
				+ "page cache warm%n%n", options.sizeMb(), server.length);
		System.out.printf("%-46s %8s %8s %8s%n", "", "best", "median", "worst");
		printRates("GET signed URL (java.net.http, bytes counted)", server);
		printRates("curl -o /dev/null on the signed URL", curl);
		printRates("cat <blob file> > /dev/null", cat);
		printRates("curl on a bare JDK sendfile server, same file", bareCurl);
		double medianRatio = median(curl) / median(cat);
		System.out.printf("%ncurl / cat: best %.0f%%, median %.0f%%; java.net.http / cat: median %.0f%%; "
				+ "curl on Phork / curl on the bare server: median %.0f%%%n", curl[curl.length - 1] / cat[cat.length - 1] * 100,
				medianRatio * 100, median(server) / median(cat) * 100, median(curl) / median(bareCurl) * 100);
		System.out.printf("target: curl >= %.0f%% of cat (median): %s%n", TARGET_STREAM_RATIO * 100,
				yesNo(medianRatio >= TARGET_STREAM_RATIO));
	}

	/**
	 * The least an HTTP server can do to send a file: answer every connection with the file's bytes
	 * through {@code FileChannel.transferTo} (sendfile) and close it. Its rate over loopback is the
	 * ceiling a real server can approach on this machine.
	 */
	private static final class BareServer implements AutoCloseable {

		private final ServerSocketChannel socket;

		private final Thread acceptor;

		BareServer(Path file) throws IOException {
			socket = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			acceptor = Thread.ofVirtual().start(() -> {
				while (socket.isOpen()) {
					try (SocketChannel client = socket.accept(); FileChannel bytes = FileChannel.open(file)) {
						ByteBuffer request = ByteBuffer.allocate(16 * 1024);
						while (!new String(request.array(), 0, request.position(), StandardCharsets.ISO_8859_1)
							.contains("\r\n\r\n") && client.read(request) > 0) {
							// Read the request head; its content does not matter.
						}
						client.write(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
								+ "Content-Length: " + bytes.size() + "\r\nConnection: close\r\n\r\n")
							.getBytes(StandardCharsets.ISO_8859_1)));
						for (long sent = 0; sent < bytes.size();) {
							sent += bytes.transferTo(sent, bytes.size() - sent, client);
						}
					}
					catch (IOException ex) {
						if (socket.isOpen()) {
							System.err.println("bare server: " + ex);
						}
					}
				}
			});
		}

		String url() throws IOException {
			return "http://127.0.0.1:" + ((InetSocketAddress) socket.getLocalAddress()).getPort() + "/";
		}

		@Override
		public void close() throws IOException {
			socket.close();
			acceptor.interrupt();
		}

	}

	private static void writePng(Path file, long size) throws IOException {
		Random random = new Random(42);
		byte[] chunk = new byte[1 << 20];
		try (var out = Files.newOutputStream(file)) {
			out.write(PNG_SIGNATURE);
			for (long written = PNG_SIGNATURE.length; written < size; written += chunk.length) {
				random.nextBytes(chunk);
				out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
			}
		}
	}

	private String upload(Account account, Path file) throws IOException, InterruptedException {
		String boundary = "phork-bench-" + UUID.randomUUID();
		String head = """
				--%1$s\r
				Content-Disposition: form-data; name="workspaceId"\r
				\r
				%2$s\r
				--%1$s\r
				Content-Disposition: form-data; name="file"; filename="stream-bench.png"\r
				Content-Type: image/png\r
				\r
				""".formatted(boundary, account.workspaceId());
		HttpRequest request = authorized("/assets/uploads", account)
			.timeout(Duration.ofMinutes(5))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
					HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
			.build();
		return expect(http.send(request, HttpResponse.BodyHandlers.ofString()), 201);
	}

	/** Reads the whole body, counting and dropping its bytes as they arrive; answers the seconds it took. */
	private double download(String url, long size) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build();
		long start = System.nanoTime();
		HttpResponse<Long> response = http.send(request, info -> new ByteCounter());
		double seconds = (System.nanoTime() - start) / 1e9;
		if (response.statusCode() != 200 || response.body() != size) {
			throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + " with "
					+ response.body() + " bytes, expected 200 with " + size);
		}
		return seconds;
	}

	/** A body that is only counted: the client copies nothing, so the server's rate is what is measured. */
	private static final class ByteCounter implements HttpResponse.BodySubscriber<Long> {

		private final CompletableFuture<Long> total = new CompletableFuture<>();

		private long count;

		@Override
		public CompletionStage<Long> getBody() {
			return total;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			for (ByteBuffer buffer : buffers) {
				count += buffer.remaining();
			}
		}

		@Override
		public void onError(Throwable failure) {
			total.completeExceptionally(failure);
		}

		@Override
		public void onComplete() {
			total.complete(count);
		}

	}

	private static double cat(Path file) throws IOException, InterruptedException {
		long start = System.nanoTime();
		run(new ProcessBuilder("cat", file.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD));
		return (System.nanoTime() - start) / 1e9;
	}

	private static double curl(String url, long size) throws IOException, InterruptedException {
		long start = System.nanoTime();
		String downloaded = run(new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
				url));
		double seconds = (System.nanoTime() - start) / 1e9;
		if (!downloaded.strip().equals("200 " + size)) {
			throw new IllegalStateException("curl " + url + " got " + downloaded + ", expected 200 " + size);
		}
		return seconds;
	}

	private static double rate(long bytes, double seconds) {
		return bytes / 1e6 / seconds;
	}

	private static void printRates(String label, double[] sorted) {
		System.out.printf("%-46s %8.0f %8.0f %8.0f%n", label, sorted[sorted.length - 1], median(sorted), sorted[0]);
	}

	// ---------------------------------------------------------------- render

	/** A scene's inputs as blob files in the server's data folder. */
	private record SceneFiles(Path video, Path audio) {
	}

	private void render() throws Exception {
		Account account = register("render");
		System.err.println("render: generating 3 clips and a voice-over");
		List<String> clipJobs = new ArrayList<>();
		for (int i = 1; i <= 3; i++) {
			clipJobs.add(submit(account, "/jobs/gen-video", """
					{"workspaceId":"%s","prompt":"render bench scene %d","durationMs":%d,"seed":%d}"""
				.formatted(account.workspaceId(), i, CLIP_MS, i)));
		}
		String audioJob = submit(account, "/jobs/gen-audio", """
				{"workspaceId":"%s","text":"render bench voice-over","durationMs":%d}"""
			.formatted(account.workspaceId(), CLIP_MS));
		List<String> clips = new ArrayList<>();
		for (String id : clipJobs) {
			clips.add(succeeded(await(account, id, RENDER_POLL)).resultAssetId());
		}
		String voiceOver = succeeded(await(account, audioJob, RENDER_POLL)).resultAssetId();

		List<SceneFiles> scenes = new ArrayList<>();
		for (int i = 0; i < clips.size(); i++) {
			scenes.add(new SceneFiles(blobFile(account, clips.get(i)), i == 0 ? blobFile(account, voiceOver) : null));
		}
		String projectId = id(send("POST", "/projects", account, """
				{"workspaceId":"%s","name":"render bench"}""".formatted(account.workspaceId()), 201));
		send("POST", "/projects/" + projectId + "/commits", account, """
				{"message":"three scenes","timeline":{"scenes":[{"videoAssetId":"%s","audioAssetId":"%s"},\
				{"videoAssetId":"%s"},{"videoAssetId":"%s"}]}}""".formatted(clips.get(0), voiceOver, clips.get(1),
				clips.get(2)), 201);
		String renderBody = """
				{"workspaceId":"%s","projectId":"%s"}""".formatted(account.workspaceId(), projectId);

		System.err.println("render: one unmeasured render each way");
		renderOnce(account, renderBody, scenes);
		List<RenderRun> runs = new ArrayList<>();
		for (int i = 0; i < options.renders(); i++) {
			System.err.printf("render %d/%d%n", i + 1, options.renders());
			runs.add(renderOnce(account, renderBody, scenes));
		}

		System.out.printf("%nPhork render bench: 3 scenes of %.1f s (voice-over on scene 1); times in ms%n%n",
				CLIP_MS / 1000.0);
		System.out.printf("%6s | %11s %11s | %11s %9s | %8s%n", "run", "render job", "job wall", "bare FFmpeg",
				"same file", "job/bare");
		for (int i = 0; i < runs.size(); i++) {
			RenderRun run = runs.get(i);
			System.out.printf("%6d | %11.0f %11.0f | %11.0f %9s | %8.2f%n", i + 1, run.jobMs(), run.wallMs(), run.bareMs(),
					yesNo(run.identical()), run.jobMs() / run.bareMs());
		}
		double jobMs = median(runs.stream().mapToDouble(RenderRun::jobMs).sorted().toArray());
		double bareMs = median(runs.stream().mapToDouble(RenderRun::bareMs).sorted().toArray());
		System.out.printf("%6s | %11.0f %11.0f | %11.0f %9s | %8.2f%n", "median", jobMs,
				median(runs.stream().mapToDouble(RenderRun::wallMs).sorted().toArray()), bareMs, "", jobMs / bareMs);
		System.out.printf("%n(render job = finishedAt - startedAt; job wall = finishedAt - createdAt, queueing included;%n"
				+ " same file = the bare FFmpeg output has the render asset's sha256)%n");
		System.out.printf("target: render job within %.0f%% of bare FFmpeg (median): %s%n",
				(TARGET_RENDER_OVERHEAD - 1) * 100, yesNo(jobMs / bareMs <= TARGET_RENDER_OVERHEAD));
	}

	/** One render through the API and the same render by hand; {@code identical} when both made the same bytes. */
	private record RenderRun(double jobMs, double wallMs, double bareMs, boolean identical) {
	}

	private RenderRun renderOnce(Account account, String renderBody, List<SceneFiles> scenes)
			throws IOException, InterruptedException {
		Job job = succeeded(await(account, submit(account, "/jobs/render", renderBody), RENDER_POLL));
		String asset = send("GET", "/assets/" + job.resultAssetId(), account, null, 200);

		// Like a job: the output in a scratch folder, the segments in a work folder next to it.
		Path scratch = Files.createTempDirectory("phork-bare-render-");
		try {
			Path output = scratch.resolve("render.mp4");
			double bareMs = bareRender(scenes, asset.contains("\"streamCopied\":true"), output);
			return new RenderRun(Duration.between(job.startedAt(), job.finishedAt()).toNanos() / 1e6,
					Duration.between(job.createdAt(), job.finishedAt()).toNanos() / 1e6, bareMs,
					sha256(output).equals(field(asset, SHA256_FIELD)));
		}
		finally {
			deleteTree(scratch);
		}
	}

	private Path blobFile(Account account, String assetId) throws IOException, InterruptedException {
		return blobPath(field(send("GET", "/assets/" + assetId, account, null, 200), SHA256_FIELD));
	}

	/** Where the server keeps a blob: {@code <data dir>/blobs/ab/cd/<sha256>}. */
	private Path blobPath(String sha256) {
		return options.dataDir().resolve("blobs").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4))
			.resolve(sha256);
	}

	/**
	 * Renderer's steps with its exact commands: ffprobe every clip and audio track, one segment per
	 * scene in a work folder next to the output, the concat join, ffprobe of the output, and deleting
	 * the work folder. Stream copy or re-encoding as the server chose. Answers the milliseconds it took.
	 */
	private static double bareRender(List<SceneFiles> scenes, boolean streamCopy, Path output)
			throws IOException, InterruptedException {
		long start = System.nanoTime();
		List<Long> durations = new ArrayList<>();
		for (SceneFiles scene : scenes) {
			durations.add(probeDurationMs(scene.video()));
			if (scene.audio() != null) {
				probeDurationMs(scene.audio());
			}
		}
		Path work = Files.createTempDirectory(output.getParent(), ".render-");
		try {
			List<String> segments = new ArrayList<>();
			for (int i = 0; i < scenes.size(); i++) {
				String segment = "segment-" + i + ".mov";
				ffmpeg(segmentArgs(scenes.get(i), frameAligned(durations.get(i)), streamCopy, work.resolve(segment)));
				segments.add("file '" + segment + "'");
			}
			Path list = work.resolve("segments.txt");
			Files.write(list, segments);
			List<String> join = new ArrayList<>(
					List.of("-f", "concat", "-i", list.toString(), "-map", "0:v", "-map", "0:a", "-c:v", "copy"));
			join.addAll(AUDIO_ENCODING);
			join.addAll(CONTAINER);
			join.add(output.toString());
			ffmpeg(join);
			probeDurationMs(output);
		}
		finally {
			deleteTree(work);
		}
		return (System.nanoTime() - start) / 1e6;
	}

	private static List<String> segmentArgs(SceneFiles scene, long durationMs, boolean streamCopy, Path segment) {
		String seconds = BigDecimal.valueOf(durationMs, 3).toPlainString();
		List<String> args = new ArrayList<>(List.of("-i", scene.video().toString()));
		if (scene.audio() != null) {
			args.addAll(List.of("-i", scene.audio().toString()));
		}
		else {
			args.addAll(List.of("-f", "lavfi", "-i", SILENCE));
		}
		String audio = "[1:a:0]" + AUDIO_FORMAT + ",apad,atrim=end=" + seconds + "[a]";
		if (streamCopy) {
			args.addAll(List.of("-filter_complex", audio, "-map", "0:v:0", "-map", "[a]", "-c:v", "copy"));
		}
		else {
			String video = "[0:v:0]" + VIDEO_FORMAT + ",tpad=stop_mode=clone:stop_duration=" + seconds + ",trim=end="
					+ seconds + "[v]";
			args.addAll(List.of("-filter_complex", video + ";" + audio, "-map", "[v]", "-map", "[a]"));
			args.addAll(VIDEO_ENCODING);
		}
		args.addAll(List.of("-c:a", "pcm_s16le", "-t", seconds, segment.toString()));
		return args;
	}

	/** The duration of the whole number of frames nearest to {@code durationMs}, at least one frame. */
	private static long frameAligned(long durationMs) {
		long frames = Math.max(1, Math.round(durationMs * FPS / 1000.0));
		return frames * 1000 / FPS;
	}

	private static long probeDurationMs(Path file) throws IOException, InterruptedException {
		String probe = run(new ProcessBuilder("ffprobe", "-v", "error", "-print_format", "json", "-show_format",
				"-show_streams", file.toString()));
		Matcher duration = Pattern.compile("(?s)\"format\"\\s*:\\s*\\{.*?\"duration\"\\s*:\\s*\"([0-9.]+)\"").matcher(probe);
		if (!duration.find()) {
			throw new IllegalStateException("ffprobe reports no duration for " + file);
		}
		return Math.round(Double.parseDouble(duration.group(1)) * 1000);
	}

	private static void ffmpeg(List<String> args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(FFMPEG);
		command.addAll(args);
		run(new ProcessBuilder(command));
	}

	// ---------------------------------------------------------------- API calls

	private record Account(String token, String workspaceId) {
	}

	/** A job as read from the server; {@code startedAt} and {@code finishedAt} are null until set. */
	private record Job(String id, String status, Instant createdAt, Instant startedAt, Instant finishedAt,
			String resultAssetId) {

		static Job of(String json) {
			return new Job(JobsBench.id(json), field(json, "\"status\"\\s*:\\s*\"([^\"]+)\""), instant(json, "createdAt"),
					instant(json, "startedAt"), instant(json, "finishedAt"), optional(json, "resultAssetId"));
		}

		boolean ended() {
			return status.equals("succeeded") || status.equals("failed") || status.equals("canceled");
		}

	}

	private Account register(String label) throws IOException, InterruptedException {
		String email = "jobs-bench-" + label + "-" + UUID.randomUUID() + "@example.com";
		String body = send("POST", "/auth/register", null, """
				{"email":"%s","password":"bench-password-1234","name":"Jobs Bench"}""".formatted(email), 201);
		return new Account(field(body, "\"token\"\\s*:\\s*\"([^\"]+)\""),
				field(body, "\"workspace\"\\s*:\\s*\\{[^{}]*?\"id\"\\s*:\\s*\"([^\"]+)\""));
	}

	private List<Account> registerMany(String label, int count) throws Exception {
		List<Callable<Account>> registrations = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			registrations.add(() -> register(label));
		}
		return all(registrations);
	}

	/**
	 * A solid gen-image submission with a fresh Idempotency-Key and a random seed, so that every job
	 * makes a different PNG, as real generations do (identical outputs would all share one blob row).
	 * The image is the smallest allowed (64x64), so the engine is measured rather than PNG encoding.
	 */
	private HttpRequest solidJob(Account account) {
		return authorized("/jobs/gen-image", account)
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"workspaceId":"%s","prompt":"a solid frame","provider":"solid","width":64,"height":64,"seed":%d}"""
				.formatted(account.workspaceId(), ThreadLocalRandom.current().nextLong(Long.MAX_VALUE))))
			.build();
	}

	private String submitSolid(Account account) throws IOException, InterruptedException {
		return id(expect(http.send(solidJob(account), HttpResponse.BodyHandlers.ofString()), 201));
	}

	/** Submits a job with a fresh Idempotency-Key; answers its id. */
	private String submit(Account account, String path, String json) throws IOException, InterruptedException {
		HttpRequest request = authorized(path, account)
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return id(expect(http.send(request, HttpResponse.BodyHandlers.ofString()), 201));
	}

	/**
	 * Polls the job until it has ended, waiting {@code every} before each look. On this small machine
	 * polls take CPU from the work they wait for, so waits for long jobs should poll rarely.
	 */
	private Job await(Account account, String jobId, Duration every) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
		while (true) {
			Thread.sleep(every);
			Job job = Job.of(send("GET", "/jobs/" + jobId, account, null, 200));
			if (job.ended()) {
				return job;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("job " + jobId + " did not end within 10 minutes: " + job);
			}
		}
	}

	private static Job succeeded(Job job) {
		if (!job.status().equals("succeeded")) {
			throw new IllegalStateException("job " + job.id() + " ended " + job.status());
		}
		return job;
	}

	private HttpRequest.Builder authorized(String path, Account account) {
		return HttpRequest.newBuilder(URI.create(options.url() + path))
			.timeout(Duration.ofSeconds(30))
			.header("Accept", "application/json")
			.header("Authorization", "Bearer " + account.token());
	}

	private String send(String method, String path, Account account, String json, int expectedStatus)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(options.url() + path))
			.timeout(Duration.ofSeconds(30))
			.header("Accept", "application/json");
		if (account != null) {
			request.header("Authorization", "Bearer " + account.token());
		}
		if (json == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		return expect(http.send(request.build(), HttpResponse.BodyHandlers.ofString()), expectedStatus);
	}

	private static String expect(HttpResponse<String> response, int expectedStatus) {
		if (response.statusCode() != expectedStatus) {
			throw new IllegalStateException(response.request().method() + " " + response.uri().getPath() + " answered "
					+ response.statusCode() + " (expected " + expectedStatus + "): " + response.body());
		}
		return response.body();
	}

	// ---------------------------------------------------------------- helpers

	/** Runs the tasks on virtual threads; answers their results in order, or throws the first failure. */
	private static <T> List<T> all(List<Callable<T>> tasks) throws Exception {
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<T>> futures = tasks.stream().map(pool::submit).toList();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				try {
					results.add(future.get());
				}
				catch (java.util.concurrent.ExecutionException ex) {
					pool.shutdownNow();
					throw ex.getCause() instanceof Exception cause ? cause : ex;
				}
			}
			return results;
		}
	}

	/** Runs a process to completion; answers its output (stdout and stderr), or throws on a non-zero exit. */
	private static String run(ProcessBuilder builder) throws IOException, InterruptedException {
		if (builder.redirectOutput() == ProcessBuilder.Redirect.PIPE) {
			builder.redirectErrorStream(true);
		}
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(5, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException(builder.command().getFirst() + " did not finish within 5 minutes");
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException(builder.command() + " failed (exit " + process.exitValue() + "): " + output);
		}
		return output;
	}

	private static String sha256(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			byte[] buffer = new byte[1 << 16];
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				digest.update(buffer, 0, n);
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void deleteTree(Path folder) throws IOException {
		try (Stream<Path> paths = Files.walk(folder)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	/** Machine-wide CPU (from /proc/stat) and this process's CPU over an interval. */
	private record Cpu(long busyTicks, long totalTicks, long clientNanos, long wallNanos) {

		static Cpu now() {
			try {
				long[] ticks = Arrays.stream(Files.readAllLines(Path.of("/proc/stat")).getFirst().split("\\s+"))
					.skip(1)
					.mapToLong(Long::parseLong)
					.toArray();
				long total = Arrays.stream(ticks).limit(8).sum();
				long idle = ticks[3] + ticks[4];
				var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
				return new Cpu(total - idle, total, os.getProcessCpuTime(), System.nanoTime());
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot read /proc/stat (the CPU figures need Linux)", ex);
			}
		}

		Cpu since(Cpu start) {
			return new Cpu(busyTicks - start.busyTicks, totalTicks - start.totalTicks, clientNanos - start.clientNanos,
					wallNanos - start.wallNanos);
		}

		/** The busy share of all the machine's cores, 0 to 1. */
		double machineBusy() {
			return totalTicks == 0 ? 0 : (double) busyTicks / totalTicks;
		}

		/** How many cores this benchmark client kept busy on average. */
		double clientCores() {
			return (double) clientNanos / wallNanos;
		}

	}

	/** A growable array of longs, so that latency samples are not boxed. */
	private static final class LongList {

		private long[] values = new long[1024];

		private int size;

		void add(long value) {
			if (size == values.length) {
				values = Arrays.copyOf(values, size * 2);
			}
			values[size++] = value;
		}

		void addAll(LongList other) {
			for (int i = 0; i < other.size; i++) {
				add(other.values[i]);
			}
		}

		long[] sorted() {
			long[] copy = Arrays.copyOf(values, size);
			Arrays.sort(copy);
			return copy;
		}

	}

	private static void sleepUntil(long nanoTime) throws InterruptedException {
		long left = nanoTime - System.nanoTime();
		if (left > 0) {
			Thread.sleep(Duration.ofNanos(left));
		}
	}

	/** The top-level id: the first field Jackson writes for jobs and projects. */
	private static String id(String json) {
		return field(json, "^\\s*\\{\\s*\"id\"\\s*:\\s*\"([^\"]+)\"");
	}

	private static Instant instant(String json, String name) {
		String value = optional(json, name);
		return value == null ? null : Instant.parse(value);
	}

	/** A top-level string field that may be null. */
	private static String optional(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*(?:\"([^\"]*)\"|null)").matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("no field " + name + " in " + json);
		}
		return matcher.group(1);
	}

	private static String field(String json, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("no match for " + regex + " in " + json);
		}
		return matcher.group(1);
	}

	/** Nearest-rank percentile of sorted samples. */
	private static long percentile(long[] sorted, double p) {
		int rank = (int) Math.ceil(p / 100 * sorted.length);
		return sorted.length == 0 ? 0 : sorted[Math.max(rank, 1) - 1];
	}

	private static long max(long[] sorted) {
		return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
	}

	private static double mean(long[] values) {
		return Arrays.stream(values).average().orElse(0);
	}

	private static double median(double[] sorted) {
		int middle = sorted.length / 2;
		return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	private static double millis(double nanos) {
		return nanos / 1e6;
	}

	private static String yesNo(boolean met) {
		return met ? "yes" : "no";
	}

}
