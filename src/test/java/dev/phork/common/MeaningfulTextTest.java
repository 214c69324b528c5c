package dev.phork.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Text that says nothing is not charged for: a prompt of spaces or invisible characters, a commit
 * message of spaces. Settings take only what the system can make: an aspect from a documented set.
 */
class MeaningfulTextTest extends ApiTest {

	private static final String[] EMPTY = { "   ", "\\u200b\\u200b", " \\u200b\\u00ad\\u2060 ", "\\ufeff", "\\u3000\\t" };

	@Test
	void promptsOfOnlySpacesOrInvisibleCharactersAre400AndChargeNothing() {
		TestUser user = register();
		String ws = "\"workspaceId\":\"" + user.workspaceId() + "\"";
		for (String text : EMPTY) {
			Http.Response image = submit(user, "gen-image", "{" + ws + ",\"prompt\":\"" + text + "\",\"provider\":\"solid\"}")
				.assertProblem(400, "validation_failed");
			assertThat(image.json().get("errors").get(0).get("field").asString()).isEqualTo("prompt");
			submit(user, "gen-video", "{" + ws + ",\"prompt\":\"" + text + "\"}").assertProblem(400, "validation_failed");
			submit(user, "gen-audio", "{" + ws + ",\"text\":\"" + text + "\"}").assertProblem(400, "validation_failed");
		}
		UUID project = createProject(user, "silent", "private");
		http.post("/projects/" + project + "/generate", user.token(), "{\"logline\":\"\\u200b \\u200b\"}")
			.assertProblem(400, "validation_failed");
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single()).isZero();
		assertThat(balance(user.workspaceId())).isEqualTo(1000).isEqualTo(ledgerSum(user.workspaceId()));
		submit(user, "gen-image", "{" + ws + ",\"prompt\":\"\\u200ba\",\"provider\":\"solid\"}").assertStatus(201);
	}

	@Test
	void aCommitMessageOfSpacesIs400() {
		TestUser user = register();
		UUID project = createProject(user, "quiet", "private");
		for (String message : EMPTY) {
			Http.Response refused = http.post("/projects/" + project + "/commits", user.token(),
					"{\"message\":\"" + message + "\",\"timeline\":{\"scenes\":[]}}")
				.assertProblem(400, "validation_failed");
			assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("message");
		}
		assertThat(db.sql("SELECT count(*) FROM commits WHERE project_id = :p").param("p", project).query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void anAspectOutsideTheDocumentedSetIs400Everywhere() {
		TestUser user = register();
		UUID project = createProject(user, "framed", "private");
		Http.Response generate = http.post("/projects/" + project + "/generate", user.token(),
				"{\"logline\":\"a harbor at dawn\",\"sceneCount\":1,\"settings\":{\"aspect\":\"banana\"}}")
			.assertProblem(400, "validation_failed");
		assertThat(generate.json().get("errors").get(0).get("field").asString()).isEqualTo("settings.aspect");
		http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"m\",\"timeline\":{\"settings\":{\"aspect\":\"21:9\"},\"scenes\":[]}}")
			.assertProblem(400, "validation_failed");
		http.post("/projects/" + project + "/fork", user.token(), "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"edits\":{\"settings\":{\"aspect\":\"banana\"}}}").assertProblem(400, "validation_failed");
		assertThat(balance(user.workspaceId())).isEqualTo(1000);
		for (String aspect : new String[] { "16:9", "9:16", "1:1", "4:3" }) {
			http.post("/projects/" + project + "/generate?dryRun=true", user.token(),
					"{\"logline\":\"a harbor at dawn\",\"sceneCount\":1,\"settings\":{\"aspect\":\"" + aspect + "\"}}")
				.assertStatus(200);
		}
	}

}
