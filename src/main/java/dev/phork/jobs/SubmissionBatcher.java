package dev.phork.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Group commit for submissions, per workspace. Every submission to a workspace debits the same
 * account row, so one transaction per submission would queue them all on that row lock, each
 * holding it through its own durable commit. Instead submissions join their workspace's lane; the
 * first thread to find the lane idle becomes its leader and commits everything waiting (up to
 * {@link #MAX_BATCH}) in one transaction, then the next batch, until the lane is empty. Each
 * submitter still gets its own answer. Throughput then grows with contention instead of collapsing,
 * and durability is untouched: a submission is answered only after its batch committed.
 */
final class SubmissionBatcher<I, O> {

	static final int MAX_BATCH = 256;

	private final Map<UUID, Lane<I, O>> lanes = new ConcurrentHashMap<>();

	private final Function<List<I>, List<O>> commitBatch;

	/**
	 * @param commitBatch commits a batch in one transaction and answers one result per item, in
	 * order; if it throws, every item of that batch fails with the exception
	 */
	SubmissionBatcher(Function<List<I>, List<O>> commitBatch) {
		this.commitBatch = commitBatch;
	}

	O submit(UUID workspaceId, I item) {
		Lane<I, O> lane = lanes.computeIfAbsent(workspaceId, id -> new Lane<>());
		Pending<I, O> pending = new Pending<>(item, new CompletableFuture<>());
		lane.queue.add(pending);
		if (lane.leader.compareAndSet(false, true)) {
			lead(lane);
		}
		try {
			return pending.result.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the submission batch", ex);
		}
		catch (ExecutionException ex) {
			throw ex.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex.getCause());
		}
	}

	/**
	 * Drains the lane, then lets go. An item enqueued after the last drain but before letting go is
	 * seen by the check after letting go (its submitter failed to become leader while we were), so
	 * no submission is ever left waiting without a leader.
	 */
	private void lead(Lane<I, O> lane) {
		do {
			drain(lane);
			lane.leader.set(false);
		}
		while (!lane.queue.isEmpty() && lane.leader.compareAndSet(false, true));
	}

	private void drain(Lane<I, O> lane) {
		List<Pending<I, O>> batch = new ArrayList<>();
		Pending<I, O> next;
		while (true) {
			batch.clear();
			while (batch.size() < MAX_BATCH && (next = lane.queue.poll()) != null) {
				batch.add(next);
			}
			if (batch.isEmpty()) {
				return;
			}
			try {
				List<O> results = commitBatch.apply(batch.stream().map(Pending::item).toList());
				for (int i = 0; i < batch.size(); i++) {
					batch.get(i).result.complete(results.get(i));
				}
			}
			catch (RuntimeException ex) {
				batch.forEach(p -> p.result.completeExceptionally(ex));
			}
		}
	}

	private record Pending<I, O>(I item, CompletableFuture<O> result) {
	}

	private static final class Lane<I, O> {

		final Queue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();

		final AtomicBoolean leader = new AtomicBoolean();

	}

}
