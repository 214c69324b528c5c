package dev.phork.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Renders are priced by the length of their output, known from the commit (or the pipeline's
 * storyboard) at submission, and too long a render is refused before anything is charged.
 */
class RenderPricingTest extends ApiTest {

	/** The defaults: a render costs 1 credit per second of output, rounded up, at least 15. */
	private static final long MINIMUM = 15;

	/** PHORK_RENDER_MAX_DURATION's default, 30 minutes. */
	private static final long MAX_MS = 30 * 60 * 1000;

	@Test
	void pricesArePublishedBeforeSubmitting() {
		TestUser user = register();
		JsonNode prices = http.get("/jobs/prices", user.token()).assertStatus(200).json();
		assertThat(prices.get("genVideo").asLong()).isEqualTo(25);
		assertThat(prices.get("render").get("minimum").asLong()).isEqualTo(MINIMUM);
		assertThat(prices.get("render").get("perSecond").asDouble()).isEqualTo(1.0);
		assertThat(prices.get("render").get("maxDurationMs").asLong()).isEqualTo(MAX_MS);
	}

	@Test
	void aLongRenderCostsMoreThanAShortOneByItsLength() {
		TestUser user = register();
		UUID project = createProject(user, "long and short", "private");
		UUID clip = clip(user);
		long clipMs = clipMs(clip);

		UUID shortCommit = commit(user, project, "one scene", scenes(clip, 1));
		long before = balance(user.workspaceId());
		JsonNode shortRender = render(user, project, shortCommit).assertStatus(201).json();
		UUID longCommit = commit(user, project, "ten scenes", scenes(clip, 10));
		JsonNode longRender = render(user, project, longCommit).assertStatus(201).json();

		assertThat(shortRender.get("request").get("durationMs").asLong()).isEqualTo(clipMs);
		assertThat(shortRender.get("cost").asLong()).isEqualTo(MINIMUM);
		assertThat(longRender.get("request").get("durationMs").asLong()).isEqualTo(10 * clipMs);
		assertThat(longRender.get("cost").asLong()).isEqualTo(Math.ceilDiv(10 * clipMs, 1000)).isGreaterThan(MINIMUM);
		long charged = shortRender.get("cost").asLong() + longRender.get("cost").asLong();
		assertThat(before - balance(user.workspaceId())).isEqualTo(charged);
		assertThat(balance(user.workspaceId())).isEqualTo(ledgerSum(user.workspaceId()));

		// The billed length is the length of what the worker makes.
		JsonNode done = awaitJob(user, uuid(longRender, "id"));
		assertThat(done.get("status").asString()).isEqualTo("succeeded");
		JsonNode asset = http.get("/assets/" + done.get("resultAssetId").asString(), user.token()).assertStatus(200).json();
		assertThat(asset.get("durationMs").asLong()).isBetween(10 * clipMs - 50, 10 * clipMs + 50);
		assertThat(awaitJob(user, uuid(shortRender, "id")).get("status").asString()).isEqualTo("succeeded");
		assertThat(balance(user.workspaceId())).isEqualTo(before - charged).isEqualTo(ledgerSum(user.workspaceId()));
	}

	@Test
	void aRenderLongerThanTheLimitIsRefusedAndChargesNothing() {
		TestUser user = register();
		UUID project = createProject(user, "too long", "private");
		UUID clip = clip(user);
		int scenes = (int) (MAX_MS / clipMs(clip)) + 1;
		UUID commit = commit(user, project, "over half an hour", scenes(clip, scenes));
		long before = balance(user.workspaceId());

		render(user, project, commit).assertProblem(422, "render_too_long");

		assertThat(balance(user.workspaceId())).isEqualTo(before).isEqualTo(ledgerSum(user.workspaceId()));
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w AND type = 'render'")
			.param("w", user.workspaceId())
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void aPipelineRenderIsPricedByTheSameRuleAndRefusedOverTheLimitToo() {
		TestUser user = register();
		UUID project = createProject(user, "storyboard", "private");
		commit(user, project, "four shots", "[{\"prompt\":\"a keeper sees a ship\",\"durationMs\":4000},"
				+ "{\"prompt\":\"she lights the lamp\",\"durationMs\":5000},"
				+ "{\"prompt\":\"the ship turns\",\"durationMs\":6000},{\"prompt\":\"dawn\",\"durationMs\":5500}]");
		// 20.5 s of clips: the render is 21 credits, by the rule a render of a commit follows.
		JsonNode plan = http.get("/projects/" + project + "/plan", user.token()).assertStatus(200).json();
		assertThat(plan.get("render").get("durationMs").asLong()).isEqualTo(20_500);
		assertThat(plan.get("render").get("cost").asLong()).isEqualTo(21);
		JsonNode dryRun = http.post("/projects/" + project + "/regenerate?dryRun=true", user.token(), "{}")
			.assertStatus(200)
			.json();
		assertThat(dryRun.get("estimate").get("credits").asLong()).isEqualTo(plan.get("totalCost").asLong())
			.isEqualTo(4 * (3 + 20 + 5) + 21);

		long before = balance(user.workspaceId());
		JsonNode pipeline = http.post("/projects/" + project + "/regenerate", user.token(), "{}").assertStatus(202).json();
		JsonNode render = null;
		for (JsonNode job : pipeline.get("jobs")) {
			if (job.get("type").asString().equals("render")) {
				render = job;
			}
		}
		assertThat(render).isNotNull();
		assertThat(render.get("request").get("durationMs").asLong()).isEqualTo(20_500);
		assertThat(render.get("cost").asLong()).isEqualTo(21);
		assertThat(before - balance(user.workspaceId())).isEqualTo(dryRun.get("estimate").get("credits").asLong());
		// Its work is not what this test is about: cancel it; what had not finished yet is refunded.
		for (JsonNode job : pipeline.get("jobs")) {
			http.post("/jobs/" + job.get("id").asString() + "/cancel", user.token(), null).assertStatus(200);
		}
		long kept = db.sql("SELECT coalesce(sum(cost), 0) FROM jobs WHERE pipeline_id = :p AND status = 'succeeded'")
			.param("p", UUID.fromString(pipeline.get("pipelineId").asString()))
			.query(Long.class)
			.single();
		assertThat(balance(user.workspaceId())).isEqualTo(before - kept).isEqualTo(ledgerSum(user.workspaceId()));

		// A storyboard over the limit: the plan (a read) shows its length and price; running it is refused.
		int count = (int) (MAX_MS / 6000) + 1;
		List<String> shots = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			shots.add("{\"prompt\":\"shot " + i + "\",\"durationMs\":6000}");
		}
		UUID tooLong = createProject(user, "too long a storyboard", "private");
		commit(user, tooLong, "long", "[" + String.join(",", shots) + "]");
		JsonNode longPlan = http.get("/projects/" + tooLong + "/plan", user.token()).assertStatus(200).json();
		assertThat(longPlan.get("render").get("durationMs").asLong()).isEqualTo(count * 6000L);
		assertThat(longPlan.get("render").get("cost").asLong()).isEqualTo(count * 6L);
		long unchanged = balance(user.workspaceId());
		http.post("/projects/" + tooLong + "/regenerate?dryRun=true", user.token(), "{}")
			.assertProblem(422, "render_too_long");
		http.post("/projects/" + tooLong + "/regenerate", user.token(), "{}").assertProblem(422, "render_too_long");
		assertThat(balance(user.workspaceId())).isEqualTo(unchanged).isEqualTo(ledgerSum(user.workspaceId()));
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE project_id = :p").param("p", tooLong).query(Long.class).single())
			.isZero();
	}

	private UUID clip(TestUser user) {
		UUID job = submit(user, "gen-video", "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"prompt\":\"a pier at dusk\",\"durationMs\":4500}").assertStatus(201).uuid("id");
		JsonNode done = awaitJob(user, job);
		assertThat(done.get("status").asString()).isEqualTo("succeeded");
		return UUID.fromString(done.get("resultAssetId").asString());
	}

	private long clipMs(UUID clip) {
		return db.sql("SELECT duration_ms FROM assets WHERE id = :id").param("id", clip).query(Long.class).single();
	}

	private static String scenes(UUID clip, int count) {
		List<String> scenes = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			scenes.add("{\"prompt\":\"shot " + i + "\",\"videoAssetId\":\"" + clip + "\"}");
		}
		return "[" + String.join(",", scenes) + "]";
	}

	private Http.Response render(TestUser user, UUID project, UUID commit) {
		return submit(user, "render", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"projectId\":\"" + project
				+ "\",\"commitId\":\"" + commit + "\"}");
	}

	private static UUID uuid(JsonNode node, String field) {
		return UUID.fromString(node.get(field).asString());
	}

}
