package dev.phork.jobs;

import dev.phork.assets.AssetRecord;
import dev.phork.assets.AssetService;
import dev.phork.assets.Blob;
import dev.phork.assets.MintCommand;
import dev.phork.generation.GenerationContext;
import dev.phork.generation.ProviderException;
import dev.phork.history.VersionService;
import dev.phork.jobs.JobExecutor.Outcome;
import dev.phork.jobs.Jobs.JobRow;
import dev.phork.media.MediaException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs jobs from the queue. Each of {@code concurrency} virtual threads claims one due job at a
 * time (SKIP LOCKED), holds it under a lease that a heartbeat extends, and ends it in one
 * transaction: the minted asset and the status together, or the failure and the refund together.
 * A rescuer gives back jobs whose lease ran out (their worker died); on shutdown, jobs still
 * running are handed back to the queue for another worker.
 */
@Component
class JobWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

	private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

	private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

	private final Jobs jobs;

	private final JobExecutor executor;

	private final AssetService assets;

	private final JobEndings endings;

	private final ApplicationEventPublisher events;

	private final VersionService versions;

	private final JobSignal signal;

	private final JobNotifications notifications;

	private final JobSettings settings;

	private final WorkerSettings worker;

	private final TransactionTemplate tx;

	private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

	private final Map<UUID, Thread> held = new ConcurrentHashMap<>();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running;

	JobWorker(Jobs jobs, JobExecutor executor, AssetService assets, JobEndings endings, ApplicationEventPublisher events,
			VersionService versions, JobSignal signal, JobNotifications notifications, JobSettings settings,
			WorkerSettings worker, TransactionTemplate tx) {
		this.jobs = jobs;
		this.executor = executor;
		this.assets = assets;
		this.endings = endings;
		this.events = events;
		this.versions = versions;
		this.signal = signal;
		this.notifications = notifications;
		this.settings = settings;
		this.worker = worker;
		this.tx = tx;
	}

	@Override
	public void start() {
		if (!worker.enabled()) {
			return;
		}
		running = true;
		for (int i = 0; i < worker.concurrency(); i++) {
			threads.add(Thread.ofVirtual().name("phork-worker-" + i).start(this::workLoop));
		}
		threads.add(Thread.ofVirtual().name("phork-heartbeat").start(this::heartbeatLoop));
		threads.add(Thread.ofVirtual().name("phork-rescuer").start(this::rescueLoop));
		log.info("Started {} job workers ({})", worker.concurrency(), owner);
	}

	@Override
	public void stop() {
		if (!running) {
			return;
		}
		running = false;
		for (int i = 0; i < threads.size(); i++) {
			signal.wake();
		}
		long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
		while (!held.isEmpty() && System.nanoTime() < deadline) {
			sleep(Duration.ofMillis(50));
		}
		// Whatever is still running goes back to the queue without counting as an attempt.
		for (UUID id : List.copyOf(held.keySet())) {
			if (jobs.requeue(id, owner, Duration.ZERO, "released when a worker shut down", false)) {
				log.info("Released job {} at shutdown", id);
			}
			Thread thread = held.get(id);
			if (thread != null) {
				thread.interrupt();
			}
		}
		threads.forEach(Thread::interrupt);
		threads.clear();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 100;
	}

	private void workLoop() {
		while (running) {
			try {
				Optional<JobRow> job = claim();
				if (job.isPresent()) {
					run(job.get());
				}
				else {
					signal.await(settings.pollInterval());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				if (running) {
					log.warn("Worker loop error: {}", ex.toString());
					sleep(Duration.ofMillis(500));
				}
			}
		}
	}

	/**
	 * Claims the next due job whose workspace is below its running cap. Jobs of a workspace at its
	 * cap stay queued (throttled, not refused) and are skipped for this claim.
	 */
	Optional<JobRow> claim() {
		return tx.execute(status -> {
			List<UUID> full = new ArrayList<>();
			for (int tries = 0; tries < 20; tries++) {
				Optional<JobRow> next = jobs.nextDue(full);
				if (next.isEmpty()) {
					return Optional.<JobRow>empty();
				}
				UUID workspace = next.get().view().workspaceId();
				if (jobs.lockAndCountRunning(workspace) >= settings.maxRunning()) {
					full.add(workspace);
					continue;
				}
				return Optional.of(jobs.markRunning(next.get().id(), owner, settings.lease()));
			}
			return Optional.<JobRow>empty();
		});
	}

	void run(JobRow job) {
		UUID id = job.id();
		held.put(id, Thread.currentThread());
		Path work = null;
		try {
			work = Files.createTempDirectory("phork-job-");
			Outcome outcome = executor.execute(job, new Attempt(job, work));
			Blob blob = assets.store(outcome.file());
			Boolean done = tx.execute(status -> {
				AssetRecord asset = assets.mint(new MintCommand(job.view().workspaceId(), outcome.type(), blob,
						outcome.mimeType(), outcome.durationMs(), outcome.provider(), outcome.model(), job.view().cost(), id,
						null, outcome.provenance(), job.createdBy()));
				if (!jobs.markSucceeded(id, owner, asset.id())) {
					status.setRollbackOnly();
					return false;
				}
				if (outcome.commitId() != null) {
					versions.record(java.util.Objects.requireNonNull(job.view().projectId()), outcome.commitId(), asset.id());
				}
				events.publishEvent(new JobSucceeded(id, job.view().workspaceId(), job.pipelineId(), job.view().type(),
						asset.id(), job.view().request()));
				return true;
			});
			if (!Boolean.TRUE.equals(done)) {
				log.info("Job {} was canceled or taken over while it ran; its result is discarded", id);
			}
		}
		catch (ProviderException ex) {
			fail(job, ex.getMessage(), ex.isTransient());
		}
		catch (MediaException ex) {
			fail(job, ex.getMessage(), ex.isTransient());
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Job {} attempt failed unexpectedly", id, ex);
			fail(job, "internal error: " + ex.getClass().getSimpleName(), true);
		}
		finally {
			held.remove(id);
			Thread.interrupted();
			deleteQuietly(work);
		}
	}

	/**
	 * A transient failure with attempts left goes back to the queue after an exponential backoff with
	 * jitter; anything else fails the job and refunds it in the same transaction.
	 */
	private void fail(JobRow job, String error, boolean transientFailure) {
		int attempts = job.view().attempts();
		if (transientFailure && attempts < job.maxAttempts()) {
			Duration delay = backoff(attempts);
			if (jobs.requeue(job.id(), owner, delay, error, true)) {
				log.info("Job {} attempt {} failed ({}); retrying in {} ms", job.id(), attempts, error, delay.toMillis());
				notifications.jobQueued();
			}
			return;
		}
		tx.executeWithoutResult(status -> jobs.markFailed(job.id(), owner, error).ifPresent(endings::unsuccessful));
	}

	private Duration backoff(int attempts) {
		long base = settings.backoff().toMillis() << Math.min(attempts - 1, 16);
		long capped = Math.min(base, MAX_BACKOFF.toMillis());
		return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
	}

	private void heartbeatLoop() {
		Duration every = settings.lease().dividedBy(3);
		while (running) {
			sleep(every);
			if (held.isEmpty()) {
				continue;
			}
			try {
				for (UUID lost : jobs.heartbeat(owner, List.copyOf(held.keySet()), settings.lease())) {
					// Canceled (or rescued after a stall): stop working on it.
					Thread thread = held.get(lost);
					if (thread != null) {
						thread.interrupt();
					}
				}
			}
			catch (RuntimeException ex) {
				log.warn("Heartbeat failed: {}", ex.toString());
			}
		}
	}

	private void rescueLoop() {
		while (running) {
			sleep(settings.rescueInterval());
			try {
				rescue();
			}
			catch (RuntimeException ex) {
				log.warn("Rescue failed: {}", ex.toString());
			}
		}
	}

	/** Requeues jobs whose worker stopped heartbeating; fails and refunds those out of attempts. */
	int rescue() {
		Integer requeued = tx.execute(status -> {
			int count = 0;
			for (JobRow job : jobs.expiredLeases(100)) {
				if (job.view().attempts() >= job.maxAttempts()) {
					jobs.markFailed(job.id(), null, "the worker running it stopped responding; no attempts left")
						.ifPresent(endings::unsuccessful);
				}
				else if (jobs.requeue(job.id(), null, Duration.ZERO, "the worker running it stopped responding", true)) {
					count++;
				}
			}
			return count;
		});
		if (requeued != null && requeued > 0) {
			log.info("Rescued {} jobs with expired leases", requeued);
			notifications.jobQueued();
		}
		return requeued == null ? 0 : requeued;
	}

	/** The engine side of one attempt, handed to the provider. */
	private final class Attempt implements GenerationContext {

		private final JobRow job;

		private final Path workDir;

		private long lastProgressNanos;

		Attempt(JobRow job, Path workDir) {
			this.job = job;
			this.workDir = workDir;
		}

		@Override
		public Path workDir() {
			return workDir;
		}

		@Override
		public Optional<String> providerJobId() {
			return Optional.ofNullable(job.providerJobId());
		}

		@Override
		public void providerJobStarted(String providerJobId) {
			jobs.providerJobStarted(job.id(), owner, providerJobId);
		}

		/**
		 * Writes progress at most every 200 ms; the end needs no write of its own, since the
		 * transaction that completes the job sets progress to 1.
		 */
		@Override
		public void progress(double fraction) {
			long now = System.nanoTime();
			if (fraction < 1 && now - lastProgressNanos > 200_000_000L) {
				lastProgressNanos = now;
				jobs.progress(job.id(), owner, fraction);
			}
		}

	}

	private static void deleteQuietly(Path dir) {
		if (dir == null) {
			return;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (IOException ignored) {
			// A scratch folder left in the temp dir is harmless.
		}
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
