package dev.phork.jobs;

import dev.phork.ApiTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The order docs/api.md gives for job submissions: what is malformed in the request itself (an
 * invalid key, an unknown provider) is a 400 before anything else; then membership (404 for
 * strangers, 403 for viewers), before any of the workspace's projects, assets or keys are read.
 */
class SubmissionOrderTest extends ApiTest {

	@Test
	void aMalformedRequestIs400BeforeAnUnknownProjectOrAStrangersWorkspace() {
		TestUser user = register();
		TestUser stranger = register();
		String unknownProject = ",\"projectId\":\"" + UUID.randomUUID() + "\"";
		for (String type : new String[] { "gen-video", "gen-image", "animate" }) {
			String base = "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"a\""
					+ (type.equals("animate") ? ",\"imageAssetId\":\"" + UUID.randomUUID() + "\"" : "");
			submit(user, type, base + unknownProject + ",\"provider\":\"nope\"}").assertProblem(400, "unknown_provider");
			submit(stranger, type, base + unknownProject + ",\"provider\":\"nope\"}").assertProblem(400, "unknown_provider");
			submit(user, type, base + unknownProject + ",\"idempotencyKey\":\"  \"}")
				.assertProblem(400, "invalid_idempotency_key");
			http.send("POST", "/jobs/" + type, stranger.token(), base + unknownProject + ",\"idempotencyKey\":\"a\"}",
					new String[] { "Idempotency-Key", "b" }).assertProblem(400, "idempotency_key_conflict");
		}
		String render = "{\"workspaceId\":\"" + user.workspaceId() + "\"" + unknownProject;
		submit(stranger, "render", render + ",\"idempotencyKey\":\"" + "k".repeat(201) + "\"}")
			.assertProblem(400, "validation_failed");
		http.send("POST", "/jobs/render", stranger.token(), render + ",\"idempotencyKey\":\"a\"}",
				new String[] { "Idempotency-Key", "b" }).assertProblem(400, "idempotency_key_conflict");
	}

	@Test
	void membershipComesBeforeTheProjectAndTheProjectBeforeModeration() {
		TestUser user = register();
		TestUser stranger = register();
		TestUser viewer = register();
		addMember(user, user.workspaceId(), viewer, "viewer");
		String unknownProject = ",\"projectId\":\"" + UUID.randomUUID() + "\"";
		String body = "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"beheading\"" + unknownProject + "}";
		submit(stranger, "gen-image", body).assertProblem(404, "workspace_not_found");
		submit(viewer, "gen-image", body).assertProblem(403, "insufficient_role");
		submit(user, "gen-image", body).assertProblem(404, "project_not_found");
		submit(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId() + "\",\"prompt\":\"beheading\"}")
			.assertProblem(422, "prompt_blocked");
	}

}
