package dev.phork.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.ScriptedProvider;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Erasure over HTTP, checked against the whole database: after a user ran pipelines, direct jobs,
 * a refused prompt and the prompt library, their text is found nowhere except where
 * docs/retention.md says it is kept (the commits they made, and other users' forks of their public
 * prompts).
 */
class ErasureTest extends ApiTest {

	@Test
	void erasureLeavesTheUsersTextOnlyInTheirCommitsAndInOthersForks() {
		String marker = "Zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		TestUser user = register();
		TestUser remixer = register();
		UUID workspace = user.workspaceId();

		// A pipeline over a registry entry whose description holds the text, then a regeneration.
		UUID project = createProject(user, "erasure", "private");
		http.post("/projects/" + project + "/registry/entries", user.token(), "{\"kind\":\"character\",\"name\":\"Mara "
				+ marker + "\",\"description\":\"a pilot who hums " + marker + "\"}").assertStatus(201);
		UUID generated = http.post("/projects/" + project + "/generate", user.token(), "{\"logline\":\"Mara lands at dawn "
				+ marker + ". The field is quiet.\",\"sceneCount\":2,\"settings\":{\"style\":\"ink " + marker + "\"}}")
			.assertStatus(202).uuid("pipelineId");
		assertThat(awaitPipeline(user, generated).get("status").asString()).isEqualTo("succeeded");
		JsonNode scenes = head(user, project).get("timeline").get("scenes");
		UUID fork = http.post("/projects/" + project + "/fork", user.token(), "{\"workspaceId\":\"" + workspace
				+ "\",\"edits\":{\"scenes\":{\"update\":[{\"id\":\"" + scenes.get(1).get("id").asString()
				+ "\",\"prompt\":\"The field hums " + marker + " again.\"}]}}}").assertStatus(201).uuid("id");
		UUID regenerated = http.post("/projects/" + fork + "/regenerate", user.token(), "{}").assertStatus(202)
			.uuid("pipelineId");
		assertThat(awaitPipeline(user, regenerated).get("status").asString()).isEqualTo("succeeded");

		// Direct jobs, one of them still running when the user erases.
		UUID image = submit(user, "gen-image", job(workspace, "prompt", "ok:" + marker + " image")).uuid("id");
		UUID imageAsset = UUID.fromString(awaitJob(user, image).get("resultAssetId").asString());
		awaitJob(user, submit(user, "gen-audio", job(workspace, "text", "ok:" + marker + " sound")).uuid("id"));
		awaitJob(user, submit(user, "animate", "{\"workspaceId\":\"" + workspace + "\",\"imageAssetId\":\"" + imageAsset
				+ "\",\"prompt\":\"ok:" + marker + " move\",\"provider\":\"scripted\"}").uuid("id"));
		String parkTag = "erasure-" + marker;
		UUID parked = submit(user, "gen-image", job(workspace, "prompt", "park:" + parkTag + ":" + marker)).uuid("id");
		awaitRunning(user, parked);
		submit(user, "gen-video", job(workspace, "prompt", "a snuff film " + marker)).assertProblem(422, "prompt_blocked");

		// The prompt library: the user's prompt, forked by someone else.
		UUID prompt = http.post("/prompts", user.token(), "{\"workspaceId\":\"" + workspace + "\",\"title\":\"Opener "
				+ marker + "\",\"body\":\"Rain on " + marker + ".\",\"visibility\":\"public\"}").assertStatus(201).uuid("id");
		UUID remix = http.post("/prompts/" + prompt + "/fork", remixer.token(),
				"{\"workspaceId\":\"" + remixer.workspaceId() + "\"}").assertStatus(201).uuid("id");
		long planBefore = http.get("/projects/" + fork + "/plan", user.token()).json().get("totalCost").asLong();

		JsonNode report = http.delete("/users/me/data", user.token()).assertStatus(200).json().get("erased");
		ScriptedProvider.release(parkTag);

		assertThat(report.get("jobsCanceled").asInt()).isEqualTo(1);
		assertThat(report.get("pipelineStoryboards").asInt()).isEqualTo(2);
		assertThat(report.get("prompts").asInt()).isEqualTo(1);
		assertThat(report.get("safetyEvents").asInt()).isEqualTo(1);
		// The running job was canceled and refunded; its result, if the worker finishes it, is discarded.
		assertThat(awaitJob(user, parked).get("status").asString()).isEqualTo("canceled");
		assertThat(db.sql("SELECT count(*) FROM credit_ledger WHERE job_id = :j AND reason = 'job_refund'")
			.param("j", parked).query(Long.class).single()).isEqualTo(1);
		assertThat(balance(workspace)).isEqualTo(ledgerSum(workspace));

		// Exactly the rows that held text are marked erased: every generation, never a render.
		assertThat(db.sql("""
				SELECT count(*) FROM jobs WHERE created_by = :u AND type <> 'render' AND request -> 'erased' IS NULL""")
			.param("u", user.userId()).query(Long.class).single()).isZero();
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE created_by = :u AND type = 'render' AND request -> 'erased' IS NOT NULL")
			.param("u", user.userId()).query(Long.class).single()).isZero();
		assertThat(report.get("jobRequests").asInt()).isEqualTo(db.sql(
				"SELECT count(*) FROM jobs WHERE created_by = :u AND type <> 'render'").param("u", user.userId())
			.query(Integer.class).single());
		JsonNode erasedPrompt = http.get("/prompts/" + prompt, user.token()).assertStatus(200).json();
		assertThat(erasedPrompt.get("title").asString()).isEqualTo("(erased)");
		assertThat(erasedPrompt.get("body").asString()).isEmpty();
		assertThat(erasedPrompt.get("erasedAt").isNull()).isFalse();
		assertThat(http.get("/prompts/" + remix, remixer.token()).json().get("body").asString()).contains(marker);
		// Fingerprints stay: nothing the pipelines made becomes stale.
		assertThat(http.get("/projects/" + fork + "/plan", user.token()).json().get("totalCost").asLong())
			.isEqualTo(planBefore).isZero();

		sleep(500);
		assertThat(db.sql("SELECT count(*) FROM assets WHERE job_id = :j").param("j", parked).query(Long.class).single())
			.isZero();
		assertThat(columnsHolding(marker)).containsOnlyKeys("commits.timeline", "commits.message", "prompts.title",
				"prompts.body");
		assertThat(db.sql("SELECT DISTINCT author_id FROM commits WHERE CAST(timeline AS text) LIKE :m OR message LIKE :m")
			.param("m", "%" + marker + "%").query(UUID.class).list()).containsExactly(user.userId());
		assertThat(db.sql("SELECT id FROM prompts WHERE title LIKE :m OR body LIKE :m").param("m", "%" + marker + "%")
			.query(UUID.class).list()).containsExactly(remix);
	}

	/** Every column of every table whose text contains the marker, with how many rows hold it. */
	private Map<String, Long> columnsHolding(String marker) {
		List<Map.Entry<String, String>> columns = db.sql("""
				SELECT c.table_name, c.column_name FROM information_schema.columns c
				JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
				WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'""")
			.query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
			.list();
		assertThat(columns).hasSizeGreaterThan(50);
		Map<String, Long> found = new TreeMap<>();
		for (Map.Entry<String, String> column : columns) {
			long rows = db.sql("SELECT count(*) FROM \"" + column.getKey() + "\" WHERE CAST(\"" + column.getValue()
					+ "\" AS text) LIKE :m")
				.param("m", "%" + marker + "%")
				.query(Long.class)
				.single();
			if (rows > 0) {
				found.put(column.getKey() + "." + column.getValue(), rows);
			}
		}
		return found;
	}

	private static String job(UUID workspace, String field, String text) {
		return "{\"workspaceId\":\"" + workspace + "\",\"" + field + "\":\"" + text + "\",\"provider\":\"scripted\"}";
	}

	private void awaitRunning(TestUser user, UUID jobId) {
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
		while (!http.get("/jobs/" + jobId, user.token()).json().get("status").asString().equals("running")) {
			assertThat(System.nanoTime()).as("job " + jobId + " never started").isLessThan(deadline);
			sleep(50);
		}
	}

	private JsonNode head(TestUser user, UUID project) {
		String head = http.get("/projects/" + project, user.token()).json().get("headCommitId").asString();
		return http.get("/projects/" + project + "/commits/" + head, user.token()).assertStatus(200).json();
	}

}
