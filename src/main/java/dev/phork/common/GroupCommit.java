package dev.phork.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Group commit: many callers' writes committed in one transaction, each caller still answered on
 * its own. Items join a lane; one caller at a time leads the lane and commits everything waiting (up
 * to {@link #MAX_BATCH}) in one transaction. Throughput then grows with contention instead of
 * collapsing under one durable commit per item, and durability is untouched: an item is answered
 * only after its batch committed. Submissions use it (a lane per group of workspaces), and so do
 * the workers' completions.
 *
 * <p>A leader commits batches until its own item is answered, then hands the lane to the caller at
 * the head of the queue (waking it), so no caller leads for longer than its own answer takes,
 * however busy the lane stays.
 */
public final class GroupCommit<I, O> {

	static final int MAX_BATCH = 256;

	/** Completes a waiting submission's signal to make it the lane's leader. */
	private static final Object LEAD = new Object();

	private final Map<Object, Lane<I, O>> lanes = new ConcurrentHashMap<>();

	private final Function<List<I>, List<O>> commitBatch;

	/**
	 * @param commitBatch commits a batch in one transaction and answers one result per item, in
	 * order; if it throws, every item of that batch fails with the exception
	 */
	public GroupCommit(Function<List<I>, List<O>> commitBatch) {
		this.commitBatch = commitBatch;
	}

	/** Commits {@code item} in a batch of the one default lane and answers its result. */
	public O submit(I item) {
		return submit(GroupCommit.class, item);
	}

	/** Commits {@code item} in a batch of its lane and answers its result. */
	public O submit(Object lane, I item) {
		return submit(lanes.computeIfAbsent(lane, key -> new Lane<>()), item);
	}

	/**
	 * Waits for the answer without giving up on an interrupt: a caller that left the queue would
	 * strand the lane if it was handed the lead, and a leader interrupted in the middle of a batch
	 * would fail the batch for everyone in it (a virtual thread's socket closes on interrupt). The
	 * interrupt is kept, cleared while this thread commits batches, and set again on return.
	 */
	@SuppressWarnings("unchecked")
	private O submit(Lane<I, O> lane, I item) {
		Pending<I> pending = new Pending<>(item);
		lane.queue.add(pending);
		boolean interrupted = false;
		try {
			if (lane.leader.compareAndSet(false, true)) {
				interrupted = Thread.interrupted();
				lead(lane, pending);
			}
			while (true) {
				Object signal;
				try {
					signal = pending.signal.join();
				}
				catch (CompletionException ex) {
					switch (ex.getCause()) {
						case RuntimeException runtime -> throw runtime;
						case Error error -> throw error;
						default -> throw new IllegalStateException(ex.getCause());
					}
				}
				if (signal != LEAD) {
					return (O) signal;
				}
				pending.signal = new CompletableFuture<>();
				interrupted |= Thread.interrupted();
				lead(lane, pending);
			}
		}
		finally {
			if (interrupted || Thread.interrupted()) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Commits batches until {@code own} is answered, then passes the lane on. */
	private void lead(Lane<I, O> lane, Pending<I> own) {
		try {
			while (!own.signal.isDone()) {
				drainOnce(lane);
			}
		}
		finally {
			handOver(lane);
		}
	}

	/**
	 * Lets go of the lane, or gives it to the caller at the head of the queue. An item enqueued after
	 * the last drain, whose caller failed to become leader while this thread held the lane, is seen
	 * by the check after letting go; the check repeats until the queue is seen empty or another
	 * thread holds the lane, so no item is ever left without a leader.
	 */
	private void handOver(Lane<I, O> lane) {
		lane.leader.set(false);
		while (!lane.queue.isEmpty() && lane.leader.compareAndSet(false, true)) {
			Pending<I> next = lane.queue.peek();
			if (next != null) {
				next.signal.complete(LEAD);
				return;
			}
			lane.leader.set(false);
		}
	}

	private void drainOnce(Lane<I, O> lane) {
		List<Pending<I>> batch = new ArrayList<>();
		Pending<I> next;
		while (batch.size() < MAX_BATCH && (next = lane.queue.poll()) != null) {
			batch.add(next);
		}
		if (batch.isEmpty()) {
			return;
		}
		try {
			List<O> results = commitBatch.apply(batch.stream().map(p -> p.item).toList());
			for (int i = 0; i < batch.size(); i++) {
				batch.get(i).signal.complete(results.get(i));
			}
		}
		catch (Throwable ex) {
			batch.forEach(p -> p.signal.completeExceptionally(ex));
		}
	}

	private static final class Pending<I> {

		final I item;

		/** Completes with the item's result, or with {@link #LEAD} to make it the leader. */
		volatile CompletableFuture<Object> signal = new CompletableFuture<>();

		Pending(I item) {
			this.item = item;
		}

	}

	private static final class Lane<I, O> {

		final Queue<Pending<I>> queue = new ConcurrentLinkedQueue<>();

		final AtomicBoolean leader = new AtomicBoolean();

	}

}
