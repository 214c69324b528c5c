package dev.phork.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Group commit on its own: every item answered once, in batches, whatever its callers go through. */
class GroupCommitTest {

	@Test
	void manyCallersOnFewLanesAreEachAnsweredOnceWithTheirOwnResult() {
		AtomicInteger committed = new AtomicInteger();
		AtomicInteger batches = new AtomicInteger();
		GroupCommit<Integer, Integer> commit = new GroupCommit<>(batch -> {
			batches.incrementAndGet();
			committed.addAndGet(batch.size());
			return batch.stream().map(item -> item * 2).toList();
		});
		assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
			List<Future<Boolean>> answers = new ArrayList<>();
			try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
				for (int caller = 0; caller < 64; caller++) {
					int first = caller * 1_000;
					answers.add(pool.submit(() -> {
						for (int item = first; item < first + 500; item++) {
							if (commit.submit(item % 3, item) != item * 2) {
								return false;
							}
						}
						return true;
					}));
				}
			}
			for (Future<Boolean> answer : answers) {
				assertThat(answer.get()).isTrue();
			}
		});
		assertThat(committed).hasValue(64 * 500);
		assertThat(batches.get()).isLessThan(64 * 500);
	}

	@Test
	void anInterruptedWaiterIsStillAnsweredAndTheLaneKeepsWorking() throws Exception {
		CountDownLatch leaderInBatch = new CountDownLatch(1);
		CountDownLatch releaseLeader = new CountDownLatch(1);
		AtomicBoolean first = new AtomicBoolean(true);
		GroupCommit<String, String> commit = new GroupCommit<>(batch -> {
			if (first.getAndSet(false)) {
				leaderInBatch.countDown();
				await(releaseLeader);
			}
			return batch.stream().map(item -> item + "!").toList();
		});
		AtomicReference<String> leaderAnswer = new AtomicReference<>();
		Thread leader = Thread.ofVirtual().start(() -> leaderAnswer.set(commit.submit("a")));
		assertThat(leaderInBatch.await(10, TimeUnit.SECONDS)).isTrue();

		AtomicReference<String> waiterAnswer = new AtomicReference<>();
		AtomicBoolean waiterStillInterrupted = new AtomicBoolean();
		Thread waiter = Thread.ofVirtual().start(() -> {
			waiterAnswer.set(commit.submit("b"));
			waiterStillInterrupted.set(Thread.currentThread().isInterrupted());
		});
		Thread.sleep(100);
		waiter.interrupt();
		Thread.sleep(100);
		releaseLeader.countDown();
		leader.join(10_000);
		waiter.join(10_000);

		assertThat(leaderAnswer).hasValue("a!");
		assertThat(waiterAnswer).hasValue("b!");
		assertThat(waiterStillInterrupted).isTrue();
		assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(commit.submit("c")).isEqualTo("c!"));
	}

	@Test
	void aFailedBatchFailsItsItemsAndTheNextBatchRunsAgain() {
		AtomicBoolean fail = new AtomicBoolean(true);
		GroupCommit<String, String> commit = new GroupCommit<>(batch -> {
			if (fail.getAndSet(false)) {
				throw new IllegalStateException("the database went away");
			}
			return batch;
		});
		assertThatThrownBy(() -> commit.submit("x")).isInstanceOf(IllegalStateException.class)
			.hasMessage("the database went away");
		assertThat(commit.submit("y")).isEqualTo("y");
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
