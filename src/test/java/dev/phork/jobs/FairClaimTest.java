package dev.phork.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.ScriptedProvider;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Claims take jobs round robin across workspaces: a workspace with a long backlog cannot keep
 * another's single job waiting until the backlog drains.
 */
class FairClaimTest extends ApiTest {

	/** Worker slots in the test server (ApiTest) and the running cap per workspace (the default). */
	private static final int SLOTS = 8;

	private static final int CAP = 4;

	@Test
	void anotherWorkspacesJobIsClaimedBeforeTheBacklogOfAWorkspaceHoldingTheSlots() {
		TestUser hog = register();
		TestUser neighbour = register();
		TestUser latecomer = register();
		String run = UUID.randomUUID().toString();
		List<String> tags = new ArrayList<>();
		List<UUID> backlog = new ArrayList<>();
		try {
			// The hog and a neighbour each run as many parked jobs as their cap lets them: every slot is taken.
			List<UUID> hogRunning = new ArrayList<>();
			for (int i = 0; i < CAP; i++) {
				tags.add("hog" + i + "-" + run);
				hogRunning.add(park(hog, tags.getLast()));
			}
			tags.add("neighbour-" + run);
			for (int i = 0; i < SLOTS - CAP; i++) {
				park(neighbour, tags.getLast());
			}
			await(() -> running(hog) == CAP && running(neighbour) == SLOTS - CAP, "every worker slot to be taken");
			// Then the hog queues a backlog, and only after it the latecomer its one job.
			tags.add("backlog-" + run);
			for (int i = 0; i < 6; i++) {
				backlog.add(park(hog, tags.getLast()));
			}
			UUID latecomersJob = submit(latecomer, "gen-image", image(latecomer, "ok:latecomer-" + run)).assertStatus(201)
				.uuid("id");

			// One of the hog's jobs ends: exactly one slot frees. Oldest first would give it to the backlog.
			ScriptedProvider.release(tags.getFirst());
			await(() -> startedAt(latecomersJob) != null || backlog.stream().anyMatch(id -> startedAt(id) != null),
					"the freed slot to be claimed");

			OffsetDateTime claimed = startedAt(latecomersJob);
			assertThat(claimed).as("the latecomer's job took the freed slot").isNotNull();
			for (UUID id : backlog) {
				OffsetDateTime started = startedAt(id);
				assertThat(started == null || started.isAfter(claimed))
					.as("backlog job %s started %s, the latecomer's at %s", id, started, claimed)
					.isTrue();
			}
			assertThat(status(hogRunning.getFirst())).isEqualTo("succeeded");
			assertThat(awaitJob(latecomer, latecomersJob).get("status").asString()).isEqualTo("succeeded");
		}
		finally {
			tags.forEach(ScriptedProvider::release);
		}
		for (UUID id : backlog) {
			assertThat(awaitJob(hog, id).get("status").asString()).isEqualTo("succeeded");
		}
		assertThat(balance(hog.workspaceId())).isEqualTo(ledgerSum(hog.workspaceId()));
	}

	private UUID park(TestUser user, String tag) {
		return submit(user, "gen-image", image(user, "park:" + tag)).assertStatus(201).uuid("id");
	}

	private static String image(TestUser user, String prompt) {
		return "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"" + prompt + "\",\"provider\":\"scripted\"}";
	}

	private long running(TestUser user) {
		return db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w AND status = 'running'")
			.param("w", user.workspaceId())
			.query(Long.class)
			.single();
	}

	/** When the job was first claimed; null while it waits. */
	private @Nullable OffsetDateTime startedAt(UUID jobId) {
		return db.sql("SELECT started_at FROM jobs WHERE id = :id")
			.param("id", jobId)
			.query((rs, n) -> Optional.ofNullable(rs.getObject("started_at", OffsetDateTime.class)))
			.single()
			.orElse(null);
	}

	private String status(UUID jobId) {
		return db.sql("SELECT status FROM jobs WHERE id = :id").param("id", jobId).query(String.class).single();
	}

	private static void await(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("timed out waiting for " + what);
			}
			sleep(20);
		}
	}

}
