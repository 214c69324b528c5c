package dev.phork.history;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Helpers of the merge, blame and merge request tests: edit a head's storyboard, merge, read prompts. */
abstract class HistoryApiTest extends ApiTest {

	protected Http.Response merge(TestUser user, UUID target, UUID source, String extra) {
		return http.post("/projects/" + target + "/merge", user.token(),
				"{\"sourceProjectId\":\"" + source + "\"" + extra + "}");
	}

	protected long commitCount() {
		return db.sql("SELECT count(*) FROM commits").query(Long.class).single();
	}

	protected JsonNode head(TestUser user, UUID project) {
		String head = http.get("/projects/" + project, user.token()).assertStatus(200).json().get("headCommitId").asString();
		return http.get("/projects/" + project + "/commits/" + head, user.token()).assertStatus(200).json();
	}

	/** Commits the head's storyboard changed by {@code change}, on the head; answers the new commit's id. */
	protected String edit(TestUser user, UUID project, String message, Consumer<ObjectNode> change) {
		JsonNode head = head(user, project);
		ObjectNode timeline = (ObjectNode) head.get("timeline").deepCopy();
		change.accept(timeline);
		ObjectNode body = json.createObjectNode();
		body.put("message", message);
		body.put("parentCommitId", head.get("id").asString());
		body.set("timeline", timeline);
		return http.post("/projects/" + project + "/commits", user.token(), body.toString()).assertStatus(201)
			.json().get("id").asString();
	}

	static ObjectNode prompt(ObjectNode timeline, int index, String prompt) {
		((ObjectNode) timeline.get("scenes").get(index)).put("prompt", prompt);
		return timeline;
	}

	static void swap(ObjectNode timeline, int a, int b) {
		ArrayNode scenes = (ArrayNode) timeline.get("scenes");
		JsonNode first = scenes.get(a);
		scenes.set(a, scenes.get(b));
		scenes.set(b, first);
	}

	static List<String> prompts(JsonNode commit) {
		List<String> prompts = new ArrayList<>();
		commit.get("timeline").get("scenes").forEach(s -> prompts.add(s.get("prompt").asString()));
		return prompts;
	}

	static List<String> sceneIds(JsonNode commit) {
		List<String> ids = new ArrayList<>();
		commit.get("timeline").get("scenes").forEach(s -> ids.add(s.get("id").asString()));
		return ids;
	}

}
