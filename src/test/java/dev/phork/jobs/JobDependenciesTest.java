package dev.phork.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.identity.Caller;
import dev.phork.jobs.JobService.PipelineJob;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Jobs that wait on others: paid all at once, run only after what they need succeeded, and failed
 * and refunded (with their pipeline ended) when something they need fails.
 */
class JobDependenciesTest extends ApiTest {

	@Autowired
	JobService jobs;

	@Test
	void aFailureFailsAndRefundsEverythingThatWaitsOnIt() {
		TestUser user = register();
		UUID project = createProject(user, "pipeline", "private");
		UUID pipeline = pipelineRow(user, project);
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		UUID third = UUID.randomUUID();
		String broken = "broken:" + UUID.randomUUID();
		List<JobView> created = jobs.submitAll(new Caller(user.userId()), user.workspaceId(), project, pipeline, List.of(
				new PipelineJob(first, JobType.GEN_IMAGE, request(user, project, broken), List.of()),
				new PipelineJob(second, JobType.ANIMATE, Map.of("workspaceId", user.workspaceId().toString(), "prompt", "x",
						"imageFromJob", first.toString(), "durationMs", 1000, "provider", "scripted"), List.of(first)),
				new PipelineJob(third, JobType.GEN_IMAGE, request(user, project, "ok:" + UUID.randomUUID()), List.of(second))));
		assertThat(created).hasSize(3);
		// All three were paid at submission (the balance may already be refunded: the first fails at once).
		assertThat(db.sql("SELECT -sum(delta) FROM credit_ledger WHERE workspace_id = :w AND reason = 'job_debit'")
			.param("w", user.workspaceId()).query(Long.class).single()).isEqualTo(3 + 20 + 3);

		JsonNode firstDone = awaitJob(user, first);
		assertThat(firstDone.get("status").asString()).isEqualTo("failed");
		JsonNode secondDone = awaitJob(user, second);
		JsonNode thirdDone = awaitJob(user, third);
		assertThat(secondDone.get("status").asString()).isEqualTo("failed");
		assertThat(secondDone.get("error").asString()).contains("depends on");
		assertThat(secondDone.get("attempts").asInt()).isZero();
		assertThat(thirdDone.get("status").asString()).isEqualTo("failed");
		assertThat(balance(user.workspaceId())).isEqualTo(1000).isEqualTo(ledgerSum(user.workspaceId()));
		assertThat(db.sql("SELECT count(*) FROM credit_ledger WHERE workspace_id = :w AND reason = 'job_refund'")
			.param("w", user.workspaceId()).query(Long.class).single()).isEqualTo(3);
		assertThat(db.sql("SELECT status FROM pipelines WHERE id = :id").param("id", pipeline).query(String.class).single())
			.isEqualTo("failed");
	}

	@Test
	void aPipelineIsPaidAllOrNothing() {
		TestUser user = register();
		UUID project = createProject(user, "too expensive", "private");
		UUID pipeline = pipelineRow(user, project);
		List<PipelineJob> many = java.util.stream.IntStream.range(0, 60)
			.mapToObj(i -> new PipelineJob(UUID.randomUUID(), JobType.ANIMATE, Map.of("workspaceId",
					user.workspaceId().toString(), "prompt", "x", "imageAssetId", UUID.randomUUID().toString()), List.of()))
			.toList();
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> jobs.submitAll(new Caller(user.userId()),
				user.workspaceId(), project, pipeline, many))
			.hasMessageContaining("credits");
		assertThat(balance(user.workspaceId())).isEqualTo(1000);
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single()).isZero();
	}

	private static Map<String, Object> request(TestUser user, UUID project, String prompt) {
		return Map.of("workspaceId", user.workspaceId().toString(), "projectId", project.toString(), "prompt", prompt,
				"provider", "scripted");
	}

	private UUID pipelineRow(TestUser user, UUID project) {
		UUID id = UUID.randomUUID();
		db.sql("""
				INSERT INTO pipelines (id, project_id, workspace_id, kind, base_commit_id, storyboard, steps, estimate, created_by)
				SELECT :id, p.id, p.workspace_id, 'regenerate', p.head_commit_id, '{"scenes":[]}', '[]', 0, :user
				FROM projects p WHERE p.id = :project""")
			.param("id", id).param("project", project).param("user", user.userId()).update();
		return id;
	}

}
