package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A double-clicked "create project" makes one project (seed 002's race, closed by a unique key). */
class ProjectIdempotencyTest extends ApiTest {

	@Test
	void sameKeySameRequestAnswersTheFirstProject() {
		TestUser user = register();
		String body = "{\"workspaceId\":\"" + user.workspaceId() + "\",\"name\":\"once\"}";
		Http.Response first = create(user, body, "click-1").assertStatus(201);
		Http.Response second = create(user, body, "click-1").assertStatus(200);
		assertThat(second.uuid("id")).isEqualTo(first.uuid("id"));
		assertThat(second.uuid("headCommitId")).isEqualTo(first.uuid("headCommitId"));
		create(user, "{\"workspaceId\":\"" + user.workspaceId() + "\",\"name\":\"different\"}", "click-1")
			.assertProblem(422, "idempotency_key_reused");
		assertThat(countProjects(user)).isEqualTo(1);
	}

	@Test
	void keysArePerWorkspace() {
		TestUser a = register();
		TestUser b = register();
		Http.Response inA = create(a, "{\"workspaceId\":\"" + a.workspaceId() + "\",\"name\":\"same\"}", "shared-key")
			.assertStatus(201);
		Http.Response inB = create(b, "{\"workspaceId\":\"" + b.workspaceId() + "\",\"name\":\"same\"}", "shared-key")
			.assertStatus(201);
		assertThat(inA.uuid("id")).isNotEqualTo(inB.uuid("id"));
	}

	@Test
	void concurrentDoubleClicksCreateOneProjectWithOneInitialCommit() throws Exception {
		TestUser user = register();
		String body = "{\"workspaceId\":\"" + user.workspaceId() + "\",\"name\":\"racy\"}";
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Http.Response>> results = new ArrayList<>();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 10; i++) {
				results.add(pool.submit(() -> {
					start.await();
					return create(user, body, "double-click");
				}));
			}
			start.countDown();
		}
		Set<UUID> ids = new HashSet<>();
		int createdCount = 0;
		for (Future<Http.Response> result : results) {
			Http.Response response = result.get();
			assertThat(response.status()).as(response.body()).isIn(200, 201);
			createdCount += response.status() == 201 ? 1 : 0;
			ids.add(response.uuid("id"));
		}
		assertThat(createdCount).isEqualTo(1);
		assertThat(ids).hasSize(1);
		assertThat(countProjects(user)).isEqualTo(1);
		assertThat(db.sql("SELECT count(*) FROM commits WHERE project_id = :p").param("p", ids.iterator().next())
			.query(Long.class).single()).isEqualTo(1);
	}

	private Http.Response create(TestUser user, String body, String key) {
		return http.send("POST", "/projects", user.token(), body, new String[] { "Idempotency-Key", key });
	}

	private long countProjects(TestUser user) {
		return db.sql("SELECT count(*) FROM projects WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single();
	}

}
