package dev.phork.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import dev.phork.common.DataDirectory;

/** Seed flows [1] health and [2] registration and authentication, plus tokens and API keys. */
class AuthTest extends ApiTest {

	@Autowired
	DataDirectory dataDirectory;

	@Test
	void healthIsOk() {
		Http.Response response = http.get("/health", null).assertStatus(200);
		assertThat(response.json().get("status").asString()).isEqualTo("ok");
		http.get("/readyz", null).assertStatus(200);
	}

	@Test
	void registrationCreatesUserPersonalWorkspaceAndStarterGrant() {
		String email = "Reg" + UUID.randomUUID().toString().substring(0, 8) + "@Example.com";
		Http.Response response = http.post("/auth/register", null,
				"{\"email\":\"" + email + "\",\"password\":\"0123456789\",\"name\":\"Ada\"}").assertStatus(201);
		var body = response.json();
		assertThat(body.get("token").asString()).isNotBlank();
		assertThat(body.get("user").get("email").asString()).isEqualTo(email.toLowerCase());
		assertThat(body.get("user").get("name").asString()).isEqualTo("Ada");
		assertThat(body.get("workspace").get("role").asString()).isEqualTo("owner");
		UUID userId = UUID.fromString(body.get("user").get("id").asString());
		UUID workspaceId = UUID.fromString(body.get("workspace").get("id").asString());
		assertThat(userId.version()).isEqualTo(7);
		assertThat(workspaceId.version()).isEqualTo(7);

		long balance = db.sql("SELECT balance FROM credit_accounts WHERE workspace_id = :w").param("w", workspaceId)
			.query(Long.class).single();
		long ledgerSum = db.sql("SELECT sum(delta) FROM credit_ledger WHERE workspace_id = :w").param("w", workspaceId)
			.query(Long.class).single();
		assertThat(balance).isEqualTo(1000).isEqualTo(ledgerSum);
		Http.Response credits = http.get("/credits/balance?workspaceId=" + workspaceId, body.get("token").asString())
			.assertStatus(200);
		assertThat(credits.json().get("balance").asLong()).isEqualTo(1000);
		Http.Response ledger = http.get("/credits/ledger?workspaceId=" + workspaceId, body.get("token").asString())
			.assertStatus(200);
		assertThat(ledger.json().get("items")).hasSize(1);
		assertThat(ledger.json().get("items").get(0).get("reason").asString()).isEqualTo("starter_grant");
		assertThat(ledger.json().get("items").get(0).get("delta").asLong()).isEqualTo(1000);
	}

	@Test
	void loginAndMe() {
		TestUser user = register("Grace");
		Http.Response login = http.post("/auth/login", null,
				"{\"email\":\"" + user.email().toUpperCase() + "\",\"password\":\"correct horse battery\"}").assertStatus(200);
		String token = login.json().get("token").asString();
		assertThat(login.json().get("user").get("id").asString()).isEqualTo(user.userId().toString());

		Http.Response me = http.get("/auth/me", token).assertStatus(200);
		assertThat(me.json().get("id").asString()).isEqualTo(user.userId().toString());
		assertThat(me.json().get("email").asString()).isEqualTo(user.email());
		assertThat(me.json().get("workspaces")).hasSize(1);
		assertThat(me.json().get("workspaces").get(0).get("id").asString()).isEqualTo(user.workspaceId().toString());
		assertThat(me.json().get("workspaces").get(0).get("role").asString()).isEqualTo("owner");
	}

	@Test
	void badCredentialsGetTheSameAnswerWhetherOrNotTheEmailExists() {
		TestUser user = register();
		Http.Response wrongPassword = http.post("/auth/login", null,
				"{\"email\":\"" + user.email() + "\",\"password\":\"wrong password!\"}").assertProblem(401, "invalid_credentials");
		Http.Response unknownEmail = http.post("/auth/login", null,
				"{\"email\":\"nobody-" + UUID.randomUUID() + "@example.com\",\"password\":\"wrong password!\"}")
			.assertProblem(401, "invalid_credentials");
		assertThat(wrongPassword.json().get("detail")).isEqualTo(unknownEmail.json().get("detail"));
	}

	@Test
	void registrationRejectsTakenEmailInvalidEmailAndShortPassword() {
		TestUser user = register();
		http.post("/auth/register", null, "{\"email\":\"" + user.email() + "\",\"password\":\"0123456789\"}")
			.assertProblem(409, "email_taken");
		http.post("/auth/register", null, "{\"email\":\"" + user.email().toUpperCase() + "\",\"password\":\"0123456789\"}")
			.assertProblem(409, "email_taken");
		Http.Response invalid = http.post("/auth/register", null, "{\"email\":\"not-an-email\",\"password\":\"0123456789\"}")
			.assertProblem(400, "validation_failed");
		assertThat(invalid.json().get("errors").get(0).get("field").asString()).isEqualTo("email");
		Http.Response shortPassword = http.post("/auth/register", null,
				"{\"email\":\"short" + UUID.randomUUID() + "@example.com\",\"password\":\"123456789\"}")
			.assertProblem(400, "validation_failed");
		assertThat(shortPassword.json().get("errors").get(0).get("field").asString()).isEqualTo("password");
		assertThat(db.sql("SELECT count(*) FROM users WHERE email = :e").param("e", user.email()).query(Long.class).single())
			.isEqualTo(1);
	}

	@Test
	void missingTamperedAndExpiredTokensAre401() throws Exception {
		TestUser user = register();
		http.get("/auth/me", null).assertProblem(401, "unauthorized");
		String[] parts = user.token().split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
			.encodeToString(payload.replace(user.userId().toString(), UUID.randomUUID().toString())
				.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
		http.get("/auth/me", forged).assertProblem(401, "invalid_token");
		http.get("/auth/me", "not.a.jwt").assertProblem(401, "invalid_token");

		byte[] secret = Base64.getDecoder().decode(Files.readString(dataDirectory.resolve("secrets/jwt.key")).trim());
		long past = Instant.now().minusSeconds(7200).getEpochSecond();
		String expired = sign(secret, "{\"iss\":\"phork\",\"sub\":\"" + user.userId() + "\",\"iat\":" + (past - 60)
				+ ",\"exp\":" + past + "}");
		http.get("/auth/me", expired).assertProblem(401, "invalid_token");
		long future = Instant.now().plusSeconds(3600).getEpochSecond();
		String valid = sign(secret, "{\"iss\":\"phork\",\"sub\":\"" + user.userId() + "\",\"iat\":" + (future - 7200)
				+ ",\"exp\":" + future + "}");
		http.get("/auth/me", valid).assertStatus(200);
		String otherIssuer = sign(secret, "{\"iss\":\"evil\",\"sub\":\"" + user.userId() + "\",\"exp\":" + future + "}");
		http.get("/auth/me", otherIssuer).assertProblem(401, "invalid_token");
		String wrongKey = sign("a-completely-different-secret-that-is-long-enough".getBytes(StandardCharsets.UTF_8),
				"{\"iss\":\"phork\",\"sub\":\"" + user.userId() + "\",\"exp\":" + future + "}");
		http.get("/auth/me", wrongKey).assertProblem(401, "invalid_token");
	}

	@Test
	void apiKeysAreShownOnceStoredHashedUsableAndRevocable() {
		TestUser user = register();
		Http.Response created = http.post("/auth/api-keys", user.token(), "{\"name\":\"ci script\"}").assertStatus(201);
		String key = created.json().get("key").asString();
		UUID keyId = created.uuid("id");
		assertThat(key).startsWith("phk_");

		Http.Response me = http.get("/auth/me", key).assertStatus(200);
		assertThat(me.json().get("id").asString()).isEqualTo(user.userId().toString());

		Http.Response list = http.get("/auth/api-keys", user.token()).assertStatus(200);
		assertThat(list.json().get("items")).hasSize(1);
		assertThat(list.body()).doesNotContain(key);
		byte[] stored = db.sql("SELECT key_hash FROM api_keys WHERE id = :id").param("id", keyId).query(byte[].class).single();
		assertThat(stored).hasSize(32);
		assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(key.substring(4, 20));

		TestUser stranger = register();
		http.delete("/auth/api-keys/" + keyId, stranger.token()).assertProblem(404, "api_key_not_found");
		http.get("/auth/me", key).assertStatus(200);

		http.delete("/auth/api-keys/" + keyId, user.token()).assertStatus(204);
		http.get("/auth/me", key).assertProblem(401, "invalid_token");
		http.get("/auth/me", "phk_" + "x".repeat(43)).assertProblem(401, "invalid_token");
	}

	private static String sign(byte[] secret, String payload) throws Exception {
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
		String body = b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret, "HmacSHA256"));
		return header + "." + body + "." + b64.encodeToString(mac.doFinal((header + "." + body).getBytes(StandardCharsets.UTF_8)));
	}


}
