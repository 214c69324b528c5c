package dev.phork.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * JSON bodies are read as written, on the money paths above all: no number from a string, no
 * integer from a fraction, no text from a number, no second value for a key, no lone surrogate.
 * Each is a 400 naming the field, and nothing is charged.
 */
class StrictJsonTest extends ApiTest {

	@Test
	void looselyTypedJobFieldsAre400AndChargeNothing() {
		TestUser user = register();
		String ws = "\"workspaceId\":\"" + user.workspaceId() + "\"";
		String[][] cases = { { "gen-video", ",\"prompt\":\"a\",\"durationMs\":\"5000\"", "durationMs" },
				{ "gen-video", ",\"prompt\":\"a\",\"durationMs\":5000.7", "durationMs" },
				{ "gen-video", ",\"prompt\":\"a\",\"durationMs\":5000.0", "durationMs" },
				{ "gen-video", ",\"prompt\":\"a\",\"seed\":\"42\"", "seed" },
				{ "gen-image", ",\"prompt\":\"a\",\"seed\":1.5,\"provider\":\"solid\"", "seed" },
				{ "gen-image", ",\"prompt\":12345,\"provider\":\"solid\"", "prompt" },
				{ "gen-image", ",\"prompt\":true,\"provider\":\"solid\"", "prompt" },
				{ "gen-image", ",\"prompt\":\"a\",\"width\":\"640\",\"provider\":\"solid\"", "width" },
				{ "gen-image", ",\"prompt\":\"a\",\"width\":\"\",\"provider\":\"solid\"", "width" },
				{ "gen-audio", ",\"text\":\"a\",\"durationMs\":3000.5", "durationMs" } };
		for (String[] c : cases) {
			Http.Response refused = submit(user, c[0], "{" + ws + c[1] + "}").assertProblem(400, "validation_failed");
			assertThat(refused.json().get("errors").get(0).get("field").asString()).as(c[1]).isEqualTo(c[2]);
		}
		http.post("/projects", user.token(), "{" + ws + ",\"name\":\"x\",\"visibility\":1}")
			.assertProblem(400, "validation_failed");
		assertThat(db.sql("SELECT count(*) FROM jobs WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single()).isZero();
		assertThat(balance(user.workspaceId())).isEqualTo(1000).isEqualTo(ledgerSum(user.workspaceId()));
	}

	@Test
	void notANumberAndInfinityAreNotJson() {
		TestUser user = register();
		String ws = "\"workspaceId\":\"" + user.workspaceId() + "\"";
		for (String value : new String[] { "NaN", "Infinity", "-Infinity" }) {
			submit(user, "gen-image", "{" + ws + ",\"prompt\":\"a\",\"seed\":" + value + ",\"provider\":\"solid\"}")
				.assertProblem(400, "malformed_body");
		}
		assertThat(balance(user.workspaceId())).isEqualTo(1000);
	}

	@Test
	void aKeyGivenTwiceIs400NamingIt() {
		TestUser user = register();
		String ws = "\"workspaceId\":\"" + user.workspaceId() + "\"";
		Http.Response twice = submit(user, "gen-image", "{" + ws + ",\"prompt\":\"x\",\"prompt\":\"y\",\"provider\":\"solid\"}")
			.assertProblem(400, "validation_failed");
		assertThat(twice.json().get("errors").get(0).get("field").asString()).isEqualTo("prompt");
		UUID project = createProject(user, "dup", "private");
		Http.Response nested = http.post("/projects/" + project + "/commits", user.token(),
				"{\"message\":\"m\",\"timeline\":{\"scenes\":[{\"prompt\":\"a\"},{\"prompt\":\"b\",\"prompt\":\"c\"}]}}")
			.assertProblem(400, "validation_failed");
		assertThat(nested.json().get("errors").get(0).get("field").asString()).isEqualTo("timeline.scenes[1].prompt");
		assertThat(balance(user.workspaceId())).isEqualTo(1000);
		assertThat(db.sql("SELECT count(*) FROM commits WHERE project_id = :p").param("p", project).query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aLoneSurrogateIs400AndAPairIsText() {
		TestUser user = register();
		String ws = "\"workspaceId\":\"" + user.workspaceId() + "\"";
		for (String text : new String[] { "x\\ud800", "\\udc00x", "a\\ud800\\ud800b" }) {
			Http.Response refused = submit(user, "gen-image", "{" + ws + ",\"prompt\":\"" + text + "\",\"provider\":\"solid\"}")
				.assertProblem(400, "validation_failed");
			assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("prompt");
		}
		http.post("/projects", user.token(), "{" + ws + ",\"name\":\"\\ud800\"}").assertProblem(400, "validation_failed");
		assertThat(balance(user.workspaceId())).isEqualTo(1000);
		Http.Response emoji = submit(user, "gen-image", "{" + ws + ",\"prompt\":\"a \\ud83c\\udfac b\",\"provider\":\"solid\"}")
			.assertStatus(201);
		assertThat(emoji.json().get("request").get("prompt").asString()).isEqualTo("a \uD83C\uDFAC b");
	}

}
