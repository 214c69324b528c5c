package dev.phork.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The forkable prompt library (seed 001) through the API. */
class PromptTest extends ApiTest {

	@Test
	void createForkAndReadLineage() {
		TestUser author = register();
		TestUser remixer = register();
		Http.Response created = http.post("/prompts", author.token(), "{\"workspaceId\":\"" + author.workspaceId()
				+ "\",\"title\":\"Noir opener\",\"body\":\"Rain on neon.\",\"visibility\":\"public\"}").assertStatus(201);
		UUID original = created.uuid("id");
		assertThat(created.uuid("rootPromptId")).isEqualTo(original);
		assertThat(created.json().get("parentPromptId").isNull()).isTrue();

		Http.Response forked = http.post("/prompts/" + original + "/fork", remixer.token(),
				"{\"workspaceId\":\"" + remixer.workspaceId() + "\",\"body\":\"Rain on neon, in colour.\"}").assertStatus(201);
		UUID fork = forked.uuid("id");
		assertThat(forked.uuid("parentPromptId")).isEqualTo(original);
		assertThat(forked.uuid("rootPromptId")).isEqualTo(original);
		assertThat(forked.json().get("title").asString()).isEqualTo("Noir opener");
		assertThat(forked.json().get("body").asString()).isEqualTo("Rain on neon, in colour.");
		assertThat(forked.json().get("visibility").asString()).isEqualTo("private");

		Http.Response forkOfFork = http.post("/prompts/" + fork + "/fork", remixer.token(),
				"{\"workspaceId\":\"" + remixer.workspaceId() + "\",\"title\":\"Mine\"}").assertStatus(201);
		assertThat(forkOfFork.uuid("rootPromptId")).isEqualTo(original);

		JsonNode lineage = http.get("/prompts/" + forkOfFork.uuid("id") + "/lineage", remixer.token()).assertStatus(200).json();
		assertThat(lineage.get("ancestors")).hasSize(2);
		assertThat(lineage.get("root").get("id").asString()).isEqualTo(original.toString());
		assertThat(http.get("/prompts/" + original, author.token()).json().get("forkCount").asInt()).isEqualTo(1);
		assertThat(http.get("/prompts/" + original + "/children", remixer.token()).json().get("items")).hasSize(1);
		// The author cannot discover the remixer's private forks.
		assertThat(http.get("/prompts/" + original + "/children", author.token()).json().get("items")).isEmpty();
		Http.Response tree = http.get("/prompts/" + original + "/forks", remixer.token()).assertStatus(200);
		assertThat(tree.json().get("items")).hasSize(2);
		assertThat(tree.json().get("items").get(1).get("depth").asInt()).isEqualTo(2);

		assertThat(http.get("/prompts?workspaceId=" + remixer.workspaceId(), remixer.token()).json().get("items")).hasSize(2);
	}

	@Test
	void privatePromptsAreInvisibleToStrangers() {
		TestUser author = register();
		TestUser stranger = register();
		UUID secret = http.post("/prompts", author.token(),
				"{\"workspaceId\":\"" + author.workspaceId() + "\",\"title\":\"secret\",\"body\":\"b\"}").uuid("id");
		http.get("/prompts/" + secret, stranger.token()).assertProblem(404, "prompt_not_found");
		http.post("/prompts/" + secret + "/fork", stranger.token(), "{\"workspaceId\":\"" + stranger.workspaceId() + "\"}")
			.assertProblem(404, "prompt_not_found");
		http.post("/prompts", stranger.token(), "{\"workspaceId\":\"" + author.workspaceId() + "\",\"title\":\"t\",\"body\":\"b\"}")
			.assertProblem(404, "workspace_not_found");
	}

	@Test
	void concurrentForksCountExactly() throws Exception {
		TestUser author = register();
		UUID prompt = http.post("/prompts", author.token(), "{\"workspaceId\":\"" + author.workspaceId()
				+ "\",\"title\":\"popular\",\"body\":\"b\",\"visibility\":\"public\"}").uuid("id");
		List<Future<Http.Response>> results = new ArrayList<>();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 10; i++) {
				results.add(pool.submit(() -> http.post("/prompts/" + prompt + "/fork", author.token(),
						"{\"workspaceId\":\"" + author.workspaceId() + "\"}")));
			}
		}
		for (Future<Http.Response> result : results) {
			result.get().assertStatus(201);
		}
		assertThat(db.sql("SELECT fork_count FROM prompts WHERE id = :id").param("id", prompt).query(Integer.class).single())
			.isEqualTo(10);
		assertThat(db.sql("SELECT count(*) FROM prompt_fork_events WHERE source_prompt_id = :id").param("id", prompt)
			.query(Long.class).single()).isEqualTo(10);
	}

}
