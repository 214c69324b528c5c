package dev.phork.jobs;

import dev.phork.assets.AssetRecord;
import dev.phork.assets.AssetService;
import dev.phork.assets.Blob;
import dev.phork.assets.MintCommand;
import dev.phork.common.GroupCommit;
import dev.phork.common.database.CommitOutcomeUnknown;
import dev.phork.common.database.DatabaseFailures;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs jobs from the queue, up to {@code concurrency} at once. One claimer claims as many due jobs
 * as there are free slots in one transaction (SKIP LOCKED) and starts a virtual thread for each; a
 * job is held under a lease that a heartbeat extends, and ends in one transaction: the minted asset
 * and the status together, or the failure and the refund together. Successful endings are group
 * committed: jobs that finish together are minted and marked in one transaction. A rescuer gives
 * back jobs whose lease ran out (their worker died); on shutdown, jobs still running are handed back
 * to the queue for another worker.
 */
@Component
class JobWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

	private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

	/** How long a loop may take to finish its round at shutdown. */
	private static final Duration LOOP_GRACE = Duration.ofSeconds(5);

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

	/**
	 * Opened by {@link #stop()}: the claimer, heartbeat and rescuer wait on it between rounds, so they
	 * leave at once without being interrupted. An interrupt that lands inside a JDBC call closes the
	 * connection under the statement, which Hikari and the transaction manager report as a broken
	 * connection and a failed rollback at every shutdown.
	 */
	private volatile CountDownLatch stopping = new CountDownLatch(0);

	/** Free job slots of this process; the claimer claims as many jobs as it can take. */
	private final Semaphore slots;

	/**
	 * Jobs whose attempt has produced its output and is being stored and ended: never interrupted
	 * (their thread may be leading a group commit for other jobs); the ending discards the result
	 * of a job no longer held. Changed and read only inside {@code held.compute...} for that job.
	 */
	private final Set<UUID> ending = ConcurrentHashMap.newKeySet();

	/**
	 * Scratch folders for attempts, emptied and reused: creating and deleting a folder per job costs
	 * the file system more than the job itself when jobs are small.
	 */
	private final Queue<Path> scratch = new ConcurrentLinkedQueue<>();

	/** Successful endings, committed together; one lane, since they touch different rows. */
	private final GroupCommit<Finished, Ending> finishing = new GroupCommit<>(this::finishAll);

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
		this.slots = new Semaphore(worker.concurrency());
	}

	@Override
	public void start() {
		if (!worker.enabled()) {
			return;
		}
		running = true;
		stopping = new CountDownLatch(1);
		threads.add(Thread.ofVirtual().name("phork-claimer").start(this::claimLoop));
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
		stopping.countDown();
		signal.wake();
		long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
		while (!held.isEmpty() && System.nanoTime() < deadline) {
			sleep(Duration.ofMillis(50));
		}
		// Whatever is still running goes back to the queue without counting as an attempt.
		for (UUID id : List.copyOf(held.keySet())) {
			if (jobs.requeue(id, owner, Duration.ZERO, "released when a worker shut down", false)) {
				log.info("Released job {} at shutdown", id);
			}
			interrupt(id);
		}
		for (Thread thread : threads) {
			// Each loop finishes the round it is in (one claim, heartbeat or rescue) and leaves; only
			// one stuck past the grace (a database that stopped answering) is interrupted.
			if (!join(thread, LOOP_GRACE)) {
				thread.interrupt();
			}
		}
		threads.clear();
		deleteScratch();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 100;
	}

	private void claimLoop() {
		while (running) {
			try {
				slots.acquire();
				if (!running) {
					slots.release();
					return;
				}
				int free = 1 + slots.drainPermits();
				List<JobRow> claimed = List.of();
				try {
					claimed = claim(free);
				}
				finally {
					slots.release(free - claimed.size());
				}
				for (JobRow job : claimed) {
					Thread.ofVirtual().name("phork-job-" + job.id()).start(() -> {
						try {
							run(job);
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
					log.warn("Claim failed: {}", ex.toString());
					sleep(Duration.ofMillis(500));
				}
			}
		}
	}

	/**
	 * Claims up to {@code max} due jobs in one transaction, round robin across workspaces (see
	 * {@link Jobs#fairlyDue}), none past its workspace's running cap. Jobs of a workspace at its cap
	 * stay queued (throttled, not refused); when every job found belongs to such workspaces, they are
	 * skipped and the next due ones are looked at, in a new transaction, so each transaction takes
	 * its advisory locks in one (workspace) order.
	 */
	List<JobRow> claim(int max) {
		List<UUID> full = new ArrayList<>();
		for (int tries = 0; tries < 20; tries++) {
			int before = full.size();
			List<JobRow> claimed = tx.execute(status -> claimOnce(max, full));
			if (claimed == null || !claimed.isEmpty() || full.size() == before) {
				return claimed == null ? List.of() : claimed;
			}
		}
		return List.of();
	}

	/** One claim transaction; adds the workspaces found at their cap to {@code full}. */
	private List<JobRow> claimOnce(int max, List<UUID> full) {
		jobs.prepareClaim();
		List<JobRow> due = jobs.fairlyDue(full, max, settings.maxRunning());
		if (due.isEmpty()) {
			// The turns went to workspaces with nothing due yet (a retry's backoff, a dependency):
			// whatever is due, oldest first, rather than an idle worker.
			due = jobs.due(full, max);
		}
		if (due.isEmpty()) {
			return List.of();
		}
		Map<UUID, Integer> running = jobs.lockAndCountRunning(
				due.stream().map(job -> job.view().workspaceId()).collect(Collectors.toSet()));
		List<UUID> chosen = new ArrayList<>();
		for (JobRow job : due) {
			UUID workspace = job.view().workspaceId();
			int count = running.getOrDefault(workspace, 0);
			if (count < settings.maxRunning()) {
				running.put(workspace, count + 1);
				chosen.add(job.id());
			}
			else if (!full.contains(workspace)) {
				full.add(workspace);
			}
		}
		return chosen.isEmpty() ? List.of() : jobs.markRunning(chosen, owner, settings.lease());
	}

	void run(JobRow job) {
		UUID id = job.id();
		held.put(id, Thread.currentThread());
		Path work = null;
		try {
			work = scratchDir();
			Outcome outcome = executor.execute(job, new Attempt(job, work));
			held.computeIfPresent(id, (key, thread) -> {
				ending.add(key);
				return thread;
			});
			Blob blob = assets.store(outcome.file());
			Ending result = endRetrying(new Finished(job, outcome, blob));
			if (result.failure() != null) {
				throw result.failure();
			}
			if (!result.succeeded()) {
				log.info("Job {} was canceled or taken over while it ran; its result is discarded", id);
			}
		}
		catch (ProviderException ex) {
			failRetrying(job, ex.getMessage(), ex.isTransient());
		}
		catch (MediaException ex) {
			failRetrying(job, ex.getMessage(), ex.isTransient());
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Job {} attempt failed unexpectedly", id, ex);
			failRetrying(job, "internal error: " + ex.getClass().getSimpleName(), true);
		}
		finally {
			held.compute(id, (key, thread) -> {
				ending.remove(key);
				return null;
			});
			Thread.interrupted();
			giveBack(work);
		}
	}

	/**
	 * Endings in project order: an ending may lock its project (a pipeline's render commits), and
	 * submissions insert their jobs in project order too, so the two never wait on each other crosswise.
	 */
	private static final Comparator<Finished> BY_PROJECT = Comparator.comparing(
			(Finished f) -> f.job().view().projectId(), Comparator.nullsFirst(Comparator.naturalOrder()));

	/** A job whose attempt produced its output, to be minted and marked succeeded. */
	private record Finished(JobRow job, Outcome outcome, Blob blob) {
	}

	/** How a successful ending went: committed, discarded (the job was no longer held), or failed. */
	private record Ending(boolean succeeded, @Nullable RuntimeException failure) {
	}

	/**
	 * Ends a batch of successful attempts in one transaction: locks the jobs this worker still holds
	 * (a canceled or rescued job's result is discarded), mints their outputs in one statement, marks
	 * them succeeded in another, and records a version for renders of a commit. If the batch fails,
	 * each ending is retried in a transaction of its own, so one bad ending fails only its own job;
	 * unless the database itself is unavailable, which fails them all at once.
	 */
	private List<Ending> finishAll(List<Finished> batch) {
		try {
			return tx.execute(status -> {
				Set<UUID> stillHeld = jobs.lockHeld(batch.stream().map(f -> f.job().id()).toList(), owner);
				List<Finished> held = batch.stream()
					.filter(f -> stillHeld.contains(f.job().id()))
					.sorted(BY_PROJECT)
					.toList();
				if (!held.isEmpty()) {
					finish(held);
				}
				return batch.stream().map(f -> new Ending(stillHeld.contains(f.job().id()), null)).toList();
			});
		}
		catch (RuntimeException batchFailure) {
			if (batch.size() == 1 || DatabaseFailures.unavailable(batchFailure)) {
				return batch.stream().map(f -> new Ending(false, batchFailure)).toList();
			}
			return batch.stream().map(f -> finishAll(List.of(f)).getFirst()).toList();
		}
	}

	private void finish(List<Finished> held) {
		List<AssetRecord> minted = assets.mintAll(held.stream().map(f -> {
			JobView job = f.job().view();
			Outcome outcome = f.outcome();
			return new MintCommand(job.workspaceId(), outcome.type(), f.blob(), outcome.mimeType(), outcome.durationMs(),
					outcome.provider(), outcome.model(), job.cost(), job.id(), null, outcome.provenance(),
					f.job().createdBy());
		}).toList());
		Map<UUID, Instant> finished = jobs.markSucceeded(held.stream().map(f -> f.job().id()).toList(),
				minted.stream().map(AssetRecord::id).toList(), owner);
		if (finished.size() != held.size()) {
			throw new IllegalStateException("jobs locked as held could not all be marked succeeded");
		}
		List<JobView> succeeded = new ArrayList<>(held.size());
		for (int i = 0; i < held.size(); i++) {
			JobRow job = held.get(i).job();
			UUID asset = minted.get(i).id();
			UUID commitId = held.get(i).outcome().commitId();
			if (commitId != null) {
				versions.record(Objects.requireNonNull(job.view().projectId()), commitId, asset);
			}
			events.publishEvent(new JobSucceeded(job.id(), job.view().workspaceId(), job.pipelineId(), job.view().type(),
					asset, job.view().request()));
			succeeded.add(succeededView(job.view(), asset, finished.get(job.id())));
		}
		events.publishEvent(new JobsSucceeded(succeeded));
	}

	/** The job as its success transaction left it (what {@code GET /jobs/{id}} shows after commit). */
	private static JobView succeededView(JobView job, UUID asset, Instant finishedAt) {
		return new JobView(job.id(), job.workspaceId(), job.projectId(), job.type(), JobStatus.SUCCEEDED, 1, job.cost(),
				job.idempotencyKey(), job.request(), asset, job.error(), job.attempts(), job.createdAt(), job.startedAt(),
				finishedAt);
	}

	/**
	 * Ends a successful attempt; an ending the database could not take (unreachable, or the
	 * connection broke during COMMIT) is tried again on a fresh connection for up to a lease. A retry
	 * after a COMMIT that did land finds the job no longer held and changes nothing.
	 */
	private Ending endRetrying(Finished finished) {
		long deadline = System.nanoTime() + settings.lease().toNanos();
		for (int tries = 1;; tries++) {
			Ending result = finishing.submit(finished);
			RuntimeException failure = result.failure();
			boolean databaseTrouble = failure != null
					&& (DatabaseFailures.unavailable(failure) || failure instanceof CommitOutcomeUnknown);
			if (!databaseTrouble || System.nanoTime() - deadline > 0 || !stillHeld(finished.job().id())) {
				return result;
			}
			log.info("Ending job {} failed ({}); retrying on a fresh connection", finished.job().id(), failure.toString());
			pause(tries);
		}
	}

	/**
	 * Whether this thread still runs the job for this worker: a shutdown has released it to the
	 * queue (and interrupted this thread, which breaks its connection), and once another thread
	 * holds it again, ending it from here would end that attempt instead.
	 */
	private boolean stillHeld(UUID id) {
		return running && held.get(id) == Thread.currentThread();
	}

	private static void pause(int tries) {
		try {
			Thread.sleep(Math.min(1000, 50L << Math.min(tries, 5)));
		}
		catch (InterruptedException interrupted) {
			// A cancel interrupts the job's thread; the ending still has to be written.
		}
	}

	/**
	 * {@link #fail}, retried while it fails (a terminated connection, the database restarting) and the
	 * job is still this thread's: the pool drops a broken connection, so each try runs on a fresh one.
	 * Tries go on for up to a lease; past it the rescuer requeues the job anyway. Nothing escapes the
	 * job's thread.
	 */
	private void failRetrying(JobRow job, String error, boolean transientFailure) {
		long deadline = System.nanoTime() + settings.lease().toNanos();
		for (int tries = 1;; tries++) {
			try {
				fail(job, error, transientFailure);
				return;
			}
			catch (RuntimeException ex) {
				if (!stillHeld(job.id())) {
					return;
				}
				if (System.nanoTime() - deadline > 0) {
					log.warn("Could not end job {} ({}); its lease runs out and the rescuer requeues it", job.id(), ex.toString());
					return;
				}
				log.info("Ending job {} failed ({}); retrying on a fresh connection", job.id(), ex.toString());
				pause(tries);
			}
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
		while (awaitRound(every)) {
			if (held.isEmpty()) {
				continue;
			}
			try {
				for (UUID lost : jobs.heartbeat(owner, List.copyOf(held.keySet()), settings.lease())) {
					// Canceled (or rescued after a stall): stop working on it.
					interrupt(lost);
				}
			}
			catch (RuntimeException ex) {
				if (running) {
					log.warn("Heartbeat failed: {}", ex.toString());
				}
			}
		}
	}

	private void rescueLoop() {
		while (awaitRound(settings.rescueInterval())) {
			try {
				rescue();
			}
			catch (RuntimeException ex) {
				if (running) {
					log.warn("Rescue failed: {}", ex.toString());
				}
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

	/** Stops work on a job this process no longer holds, unless its attempt is already ending. */
	private void interrupt(UUID id) {
		held.computeIfPresent(id, (key, thread) -> {
			if (!ending.contains(key)) {
				thread.interrupt();
			}
			return thread;
		});
	}

	private Path scratchDir() throws IOException {
		Path dir = scratch.poll();
		return dir != null ? dir : Files.createTempDirectory("phork-job-");
	}

	/** Empties an attempt's scratch folder for the next one; a folder that will not empty is dropped. */
	private void giveBack(@Nullable Path dir) {
		if (dir == null) {
			return;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path file : files.filter(file -> !file.equals(dir)).sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
			scratch.add(dir);
		}
		catch (IOException ex) {
			deleteQuietly(dir);
		}
		if (!running) {
			deleteScratch();
		}
	}

	/** Deletes the pooled scratch folders (at shutdown, and by jobs that end after it). */
	private void deleteScratch() {
		for (Path dir; (dir = scratch.poll()) != null;) {
			deleteQuietly(dir);
		}
	}

	private static void deleteQuietly(Path dir) {
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (IOException ignored) {
			// A scratch folder left in the temp dir is harmless.
		}
	}

	/** Waits out the pause before a loop's next round; false once the worker is stopping. */
	private boolean awaitRound(Duration pause) {
		try {
			return !stopping.await(pause.toNanos(), TimeUnit.NANOSECONDS) && running;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static boolean join(Thread thread, Duration grace) {
		try {
			return thread.join(grace);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
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
