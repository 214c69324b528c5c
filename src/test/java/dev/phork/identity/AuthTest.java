package dev.phork.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** Seed flows [1] health and [2] registration and authentication, plus tokens and API keys. */
class AuthTest extends ApiTest {

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
				"{\"email\":\"" + email + "\",\"password\":\"analytical engine\",\"name\":\"Ada\"}").assertStatus(201);
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
		// The sign-in answers the same workspaces, so a script need not ask /auth/me as well.
		assertThat(login.json().get("workspaces")).isEqualTo(me.json().get("workspaces"));
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
		http.post("/auth/register", null, "{\"email\":\"" + user.email() + "\",\"password\":\"analytical engine\"}")
			.assertProblem(409, "email_taken");
		http.post("/auth/register", null, "{\"email\":\"" + user.email().toUpperCase() + "\",\"password\":\"analytical engine\"}")
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

		byte[] secret = secret();
		long past = Instant.now().minusSeconds(7200).getEpochSecond();
		String expired = sign(secret, "{\"iss\":\"phork\",\"sub\":\"" + user.userId() + "\",\"iat\":" + (past - 60)
				+ ",\"exp\":" + past + "}");
		http.get("/auth/me", expired).assertProblem(401, "invalid_token");
		long future = Instant.now().plusSeconds(3600).getEpochSecond();
		String valid = sign(secret, "{\"iss\":\"phork\",\"sub\":\"" + user.userId() + "\",\"jti\":\"" + jti(user.token())
				+ "\",\"iat\":" + (future - 7200) + ",\"exp\":" + future + "}");
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

	@Test
	void signedTokensWithAMissingOrMalformedClaimAre401() throws Exception {
		TestUser user = register();
		byte[] secret = secret();
		String jti = jti(user.token());
		long now = Instant.now().getEpochSecond();
		String iss = "\"iss\":\"phork\"";
		String sub = "\"sub\":\"" + user.userId() + "\"";
		String id = "\"jti\":\"" + jti + "\"";
		String iat = "\"iat\":" + now;
		String exp = "\"exp\":" + (now + 3600);
		http.get("/auth/me", sign(secret, "{" + String.join(",", iss, sub, id, iat, exp) + "}")).assertStatus(200);
		String[][] malformed = {
				{ iss, id, iat, exp }, // no subject
				{ iss, "\"sub\":\"not-a-uuid\"", id, iat, exp },
				{ iss, "\"sub\":\"\"", id, iat, exp },
				{ iss, "\"sub\":42", id, iat, exp },
				{ iss, "\"sub\":null", id, iat, exp },
				{ iss, "\"sub\":\"" + user.userId().toString().replace("-", "") + "\"", id, iat, exp },
				{ iss, "\"sub\":\"1-1-1-1-1\"", id, iat, exp },
				{ iss, sub, id, iat }, // no expiry: it would be valid forever
				{ iss, sub, id, iat, "\"exp\":\"tomorrow\"" },
				{ iss, sub, id, iat, "\"exp\":null" },
				{ iss, sub, id, iat, "\"exp\":[1]" },
				{ iss, sub, id, iat, "\"exp\":1e300" },
				{ iss, sub, id, "\"iat\":\"yesterday\"", exp },
				{ iss, sub, id, "\"iat\":{}", exp },
				{ iss, sub, id, iat, exp, "\"nbf\":\"now\"" },
				{ iss, sub, iat, exp }, // no token id
				{ iss, sub, "\"jti\":7", iat, exp },
				{ iss, sub, "\"jti\":\"not-a-uuid\"", iat, exp },
				{ "\"iss\":5", sub, id, iat, exp },
				{ iss, sub, id, iat, exp, "\"aud\":{\"a\":1}" } };
		for (String[] claims : malformed) {
			String token = sign(secret, "{" + String.join(",", claims) + "}");
			http.get("/auth/me", token).assertProblem(401, "invalid_token");
			http.get("/workspaces", token).assertProblem(401, "invalid_token");
		}
	}

	@Test
	void aSignedTokenThatWasNeverIssuedOrIsAnotherUsersIsRefused() throws Exception {
		TestUser user = register();
		TestUser other = register();
		byte[] secret = secret();
		long now = Instant.now().getEpochSecond();
		String never = sign(secret, "{\"iss\":\"phork\",\"sub\":\"" + user.userId() + "\",\"jti\":\"" + UUID.randomUUID()
				+ "\",\"exp\":" + (now + 3600) + "}");
		http.get("/auth/me", never).assertProblem(401, "invalid_token");
		String borrowed = sign(secret, "{\"iss\":\"phork\",\"sub\":\"" + other.userId() + "\",\"jti\":\"" + jti(user.token())
				+ "\",\"exp\":" + (now + 3600) + "}");
		http.get("/auth/me", borrowed).assertProblem(401, "invalid_token");
	}

	@Test
	void logoutRevokesThePresentedTokenOnly() {
		TestUser user = register();
		String second = login(user.email(), "correct horse battery");
		http.get("/auth/me", user.token()).assertStatus(200);
		http.get("/auth/me", second).assertStatus(200);

		http.post("/auth/logout", user.token(), null).assertStatus(204);
		http.get("/auth/me", user.token()).assertProblem(401, "invalid_token");
		http.post("/auth/logout", user.token(), null).assertProblem(401, "invalid_token");
		http.get("/auth/me", second).assertStatus(200);
		assertThat(db.sql("SELECT count(*) FROM sign_in_tokens WHERE user_id = :u AND revoked_at IS NOT NULL")
			.param("u", user.userId()).query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void changingThePasswordRevokesEveryTokenAndAnswersANewOne() {
		TestUser user = register();
		String second = login(user.email(), "correct horse battery");
		http.get("/auth/me", second).assertStatus(200);

		http.post("/auth/password", user.token(),
				"{\"currentPassword\":\"not my password\",\"newPassword\":\"a brand new passphrase\"}")
			.assertProblem(403, "wrong_password");
		http.post("/auth/password", user.token(),
				"{\"currentPassword\":\"correct horse battery\",\"newPassword\":\"1234567890\"}")
			.assertProblem(400, "password_too_common");
		http.post("/auth/password", user.token(),
				"{\"currentPassword\":\"correct horse battery\",\"newPassword\":\"short\"}")
			.assertProblem(400, "validation_failed");
		http.get("/auth/me", second).assertStatus(200);

		Http.Response changed = http.post("/auth/password", user.token(),
				"{\"currentPassword\":\"correct horse battery\",\"newPassword\":\"a brand new passphrase\"}")
			.assertStatus(200);
		String fresh = changed.json().get("token").asString();
		assertThat(changed.json().get("user").get("id").asString()).isEqualTo(user.userId().toString());
		http.get("/auth/me", user.token()).assertProblem(401, "invalid_token");
		http.get("/auth/me", second).assertProblem(401, "invalid_token");
		http.get("/auth/me", fresh).assertStatus(200);
		http.post("/auth/login", null, "{\"email\":\"" + user.email() + "\",\"password\":\"correct horse battery\"}")
			.assertProblem(401, "invalid_credentials");
		login(user.email(), "a brand new passphrase");
		assertThat(db.sql("SELECT count(*) FROM sign_in_tokens WHERE user_id = :u AND revoked_at IS NULL")
			.param("u", user.userId()).query(Long.class).single()).isEqualTo(2);
	}

	@Test
	void longPassphrasesAreAcceptedInFullAndOverlongOnesAre400() {
		// 200 characters, 400 bytes of UTF-8: far past BCrypt's 72, and different only at the end.
		String passphrase = "ü".repeat(199) + "a";
		String email = "long" + UUID.randomUUID() + "@example.com";
		http.post("/auth/register", null, "{\"email\":\"" + email + "\",\"password\":\"" + passphrase + "\"}")
			.assertStatus(201);
		login(email, passphrase);
		http.post("/auth/login", null, "{\"email\":\"" + email + "\",\"password\":\"" + "ü".repeat(199) + "b\"}")
			.assertProblem(401, "invalid_credentials");
		String longest = "x".repeat(1023) + "y";
		String other = "longest" + UUID.randomUUID() + "@example.com";
		http.post("/auth/register", null, "{\"email\":\"" + other + "\",\"password\":\"" + longest + "\"}")
			.assertStatus(201);
		login(other, longest);

		String tooLong = "longer" + UUID.randomUUID() + "@example.com";
		http.post("/auth/register", null, "{\"email\":\"" + tooLong + "\",\"password\":\"" + "x".repeat(1025) + "\"}")
			.assertProblem(400, "validation_failed");
		http.post("/auth/login", null, "{\"email\":\"" + email + "\",\"password\":\"" + "x".repeat(1025) + "\"}")
			.assertProblem(400, "validation_failed");
		assertThat(db.sql("SELECT count(*) FROM users WHERE email = :e").param("e", tooLong).query(Long.class).single())
			.isZero();
	}

	@Test
	void theMostCommonPasswordsAreRefused() {
		for (String common : new String[] { "1234567890", "qwertyuiop", "Basketball", "PASSWORD123", "1q2w3e4r5t" }) {
			String email = "common" + UUID.randomUUID() + "@example.com";
			http.post("/auth/register", null, "{\"email\":\"" + email + "\",\"password\":\"" + common + "\"}")
				.assertProblem(400, "password_too_common");
			assertThat(db.sql("SELECT count(*) FROM users WHERE email = :e").param("e", email).query(Long.class).single())
				.isZero();
		}
	}

	@Test
	void plainBcryptHashesStillVerifyAndAreRewrittenAtSignIn() {
		TestUser user = register();
		db.sql("UPDATE users SET password_hash = :h WHERE id = :id")
			.param("h", new BCryptPasswordEncoder().encode("correct horse battery"))
			.param("id", user.userId())
			.update();
		// Longer than BCrypt can read: never the source of a plain BCrypt hash, and no 500 either.
		http.post("/auth/login", null, "{\"email\":\"" + user.email() + "\",\"password\":\"" + "z".repeat(100) + "\"}")
			.assertProblem(401, "invalid_credentials");
		login(user.email(), "correct horse battery");
		String rewritten = db.sql("SELECT password_hash FROM users WHERE id = :id").param("id", user.userId())
			.query(String.class).single();
		assertThat(rewritten).startsWith("{bcrypt-sha256}$2");
		login(user.email(), "correct horse battery");
		assertThat(db.sql("SELECT password_hash FROM users WHERE id = :id").param("id", user.userId())
			.query(String.class).single()).isEqualTo(rewritten);
	}

	@Test
	void apiKeysMayExpireAndAnExpiredKeyIsRefused() {
		TestUser user = register();
		http.post("/auth/api-keys", user.token(), "{\"name\":\"old\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}")
			.assertProblem(400, "expiry_in_past");
		Http.Response notATime = http.post("/auth/api-keys", user.token(), "{\"name\":\"bad\",\"expiresAt\":\"next week\"}")
			.assertStatus(400);
		assertThat(notATime.header("Content-Type")).startsWith("application/problem+json");
		Instant in = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		Http.Response expiring = http.post("/auth/api-keys", user.token(),
				"{\"name\":\"short-lived\",\"expiresAt\":\"" + in + "\"}").assertStatus(201);
		assertThat(Instant.parse(expiring.json().get("expiresAt").asString())).isEqualTo(in);
		Http.Response forever = http.post("/auth/api-keys", user.token(), "{\"name\":\"forever\"}").assertStatus(201);
		assertThat(forever.json().get("expiresAt").isNull()).isTrue();
		String key = expiring.json().get("key").asString();
		http.get("/auth/me", key).assertStatus(200);
		assertThat(db.sql("SELECT count(*) FROM api_keys WHERE user_id = :u").param("u", user.userId())
			.query(Long.class).single()).isEqualTo(2);

		// The hour passes.
		db.sql("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = :id")
			.param("id", expiring.uuid("id")).update();
		http.get("/auth/me", key).assertProblem(401, "invalid_token");
		http.get("/auth/me", forever.json().get("key").asString()).assertStatus(200);
	}

	@Test
	void anApiKeyCannotCreateKeysChangeThePasswordOrLogOut() {
		TestUser user = register();
		String key = http.post("/auth/api-keys", user.token(), "{\"name\":\"script\"}").assertStatus(201)
			.json().get("key").asString();
		http.post("/auth/api-keys", key, "{\"name\":\"another\"}").assertProblem(403, "sign_in_token_required");
		http.post("/auth/password", key,
				"{\"currentPassword\":\"correct horse battery\",\"newPassword\":\"taken over by a script\"}")
			.assertProblem(403, "sign_in_token_required");
		http.post("/auth/logout", key, null).assertProblem(403, "sign_in_token_required");
		assertThat(db.sql("SELECT count(*) FROM api_keys WHERE user_id = :u").param("u", user.userId())
			.query(Long.class).single()).isEqualTo(1);
		login(user.email(), "correct horse battery");
		http.get("/auth/me", key).assertStatus(200);
	}

	private String login(String email, String password) {
		return http.post("/auth/login", null, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")
			.assertStatus(200).json().get("token").asString();
	}

	private byte[] secret() throws Exception {
		return db.sql("SELECT secret FROM shared_secrets WHERE name = 'jwt'").query(byte[].class).single();
	}

	/** The id of a token the server issued, read from its payload. */
	private String jti(String token) {
		String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
		return json.readTree(payload).get("jti").asString();
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
