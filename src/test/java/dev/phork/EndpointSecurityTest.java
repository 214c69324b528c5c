package dev.phork;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint the application registers, found from the handler mappings (so a new endpoint is
 * covered the day it appears), is called with no token (401) and as a stranger to the resources it
 * names (403 or 404, and nothing changes).
 */
class EndpointSecurityTest extends ApiTest {

	/**
	 * Open to anyone: liveness, sign-up, sign-in, and asset content, whose URL carries its own
	 * authorization (an HMAC signature; AssetTest proves tampered and expired ones are refused).
	 */
	private static final Set<String> PUBLIC = Set.of("/health", "/auth/register", "/auth/login", "/error",
			"/assets/{id}/content");

	/**
	 * Endpoints that act on the caller's own account only, or answer the same to everyone (the price
	 * list), so a stranger legitimately gets a 2xx: they never take another tenant's id.
	 */
	private static final Set<String> SELF_SCOPED = Set.of("GET /auth/me", "POST /auth/api-keys", "GET /auth/api-keys",
			"POST /auth/logout", "POST /auth/password", "POST /workspaces", "GET /workspaces", "DELETE /users/me/data",
			"GET /invitations", "GET /jobs/prices");

	private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	record Endpoint(String method, String pattern) {

		String key() {
			return method + " " + pattern;
		}

	}

	@Test
	void everyEndpointNeedsAToken() {
		List<Endpoint> endpoints = endpoints();
		assertThat(endpoints).hasSizeGreaterThan(25);
		for (Endpoint endpoint : endpoints) {
			String path = VARIABLE.matcher(endpoint.pattern()).replaceAll(UUID.randomUUID().toString());
			Http.Response response = http.send(endpoint.method(), path + "?workspaceId=" + UUID.randomUUID(), null,
					"{}", null);
			assertThat(response.status()).as(endpoint.key() + " without a token: " + response.body()).isEqualTo(401);
			assertThat(response.header("Content-Type")).as(endpoint.key()).startsWith("application/problem+json");
		}
	}

	@Test
	void strangersGetNothingFromAnyEndpoint() {
		TestUser owner = register();
		UUID project = createProject(owner, "owner's secret project", "private");
		UUID commit = commit(owner, project, "secret commit", "[{\"prompt\":\"secret\"}]");
		UUID prompt = http.post("/prompts", owner.token(),
				"{\"workspaceId\":\"" + owner.workspaceId() + "\",\"title\":\"secret\",\"body\":\"b\"}").uuid("id");
		UUID apiKey = http.post("/auth/api-keys", owner.token(), "{\"name\":\"k\"}").uuid("id");
		// Sent to someone else, so the stranger can neither answer nor revoke it.
		UUID invitation = invite(owner, owner.workspaceId(), register().email(), "owner");
		TestUser stranger = register();
		String before = snapshot(owner, project);

		List<Endpoint> checked = new ArrayList<>();
		for (Endpoint endpoint : endpoints()) {
			if (SELF_SCOPED.contains(endpoint.key())) {
				continue;
			}
			Map<String, UUID> ids = Map.of("projects", project, "prompts", prompt, "workspaces", owner.workspaceId(),
					"api-keys", apiKey, "invitations", invitation);
			String path = fill(endpoint.pattern(), ids, commit, owner.userId());
			// Forks go into the stranger's own workspace, so only the source decides.
			UUID bodyWorkspace = endpoint.pattern().endsWith("/fork") ? stranger.workspaceId() : owner.workspaceId();
			String body = "{\"workspaceId\":\"" + bodyWorkspace + "\",\"name\":\"n\",\"title\":\"t\",\"body\":\"b\","
					+ "\"message\":\"m\",\"timeline\":{\"scenes\":[]},\"email\":\"" + stranger.email() + "\",\"role\":\"owner\"}";
			body = bodyFor(endpoint, body, project);
			String[] headers = null;
			String query = "?workspaceId=" + owner.workspaceId() + "&from=" + commit + "&to=" + commit;
			if (endpoint.pattern().equals("/assets/uploads")) {
				// The workspace is named once, in its part: a parameter given twice is a 400.
				query = "";
				headers = new String[] { "Content-Type", "multipart/form-data; boundary=b" };
				body = "--b\r\nContent-Disposition: form-data; name=\"workspaceId\"\r\n\r\n" + owner.workspaceId()
						+ "\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n"
						+ "Content-Type: image/png\r\n\r\nnot really a png\r\n--b--\r\n";
			}
			if (endpoint.pattern().equals("/merge-requests")) {
				query += "&targetProjectId=" + project;
			}
			Http.Response response = http.send(endpoint.method(), path + query, stranger.token(), body, headers);
			assertThat(response.status()).as(endpoint.key() + " as a stranger: " + response.body()).isIn(403, 404);
			// The path itself may say "secret" (rotate-secret); nothing else in the answer may.
			assertThat(response.body().replace(path, "")).as(endpoint.key()).doesNotContain("secret");
			checked.add(endpoint);
		}
		assertThat(checked).hasSizeGreaterThan(20);
		assertThat(snapshot(owner, project)).isEqualTo(before);
	}

	/** Trims the catch-all body to the fields each endpoint accepts (unknown fields are a 400). */
	private static String bodyFor(Endpoint endpoint, String full, UUID project) {
		String p = endpoint.pattern();
		String ws = "\"workspaceId\":" + field(full, "workspaceId");
		switch (p) {
			case "/jobs/gen-video", "/jobs/gen-image" -> {
				return "{" + ws + ",\"prompt\":\"secret\"}";
			}
			case "/jobs/gen-audio" -> {
				return "{" + ws + ",\"text\":\"secret\"}";
			}
			case "/jobs/animate" -> {
				return "{" + ws + ",\"imageAssetId\":\"" + UUID.randomUUID() + "\"}";
			}
			case "/jobs/render" -> {
				return "{" + ws + ",\"projectId\":\"" + project + "\"}";
			}
			case "/projects/{id}/registry/entries" -> {
				return "{\"kind\":\"character\",\"name\":\"secret\"}";
			}
			case "/projects/{id}/registry/uploads" -> {
				return "{\"assetIds\":[\"" + UUID.randomUUID() + "\"]}";
			}
			case "/projects/{id}/generate" -> {
				return "{\"logline\":\"secret plans\"}";
			}
			case "/projects/{id}/regenerate", "/merge-requests/{id}/merge" -> {
				return "{}";
			}
			case "/projects/{id}/merge" -> {
				return "{\"sourceProjectId\":\"" + project + "\"}";
			}
			case "/projects/{id}/revert" -> {
				return "{\"commitId\":\"" + project + "\"}";
			}
			case "/projects/{id}/cherry-pick" -> {
				return "{\"sourceProjectId\":\"" + project + "\",\"commitId\":\"" + project + "\"}";
			}
			case "/projects/{id}/tags" -> {
				return "{\"name\":\"t\",\"commitId\":\"" + project + "\"}";
			}
			case "/projects/{id}/merge-requests" -> {
				return "{\"sourceProjectId\":\"" + project + "\",\"title\":\"secret\"}";
			}
			case "/merge-requests/{id}/comments" -> {
				return "{\"body\":\"b\"}";
			}
			case "/workspaces/{workspaceId}/webhooks", "/workspaces/{workspaceId}/webhooks/{webhookId}" -> {
				return "{\"url\":\"https://example.com/hook\",\"events\":[\"*\"]}";
			}
			default -> {
			}
		}
		if (p.equals("/projects")) {
			return "{\"workspaceId\":" + field(full, "workspaceId") + ",\"name\":\"n\"}";
		}
		if (p.equals("/projects/{id}/commits")) {
			return "{\"message\":\"m\",\"timeline\":{\"scenes\":[]}}";
		}
		if (p.endsWith("/fork")) {
			return "{\"workspaceId\":" + field(full, "workspaceId") + "}";
		}
		if (p.equals("/projects/{id}")) {
			return "{\"name\":\"n\"}";
		}
		if (p.equals("/prompts")) {
			return "{\"workspaceId\":" + field(full, "workspaceId") + ",\"title\":\"t\",\"body\":\"b\"}";
		}
		if (p.equals("/workspaces/{id}/members") || p.equals("/workspaces/{id}/invitations")) {
			return "{\"email\":" + field(full, "email") + ",\"role\":\"owner\"}";
		}
		if (p.equals("/workspaces/{id}/members/{userId}")) {
			return "{\"role\":\"viewer\"}";
		}
		return full;
	}

	private static String field(String json, String name) {
		Matcher m = Pattern.compile("\"" + name + "\":(\"[^\"]*\")").matcher(json);
		return m.find() ? m.group(1) : "null";
	}

	private static String fill(String pattern, Map<String, UUID> ids, UUID commit, UUID ownerId) {
		Matcher m = VARIABLE.matcher(pattern);
		StringBuilder out = new StringBuilder();
		while (m.find()) {
			String name = m.group(1);
			String before = pattern.substring(0, m.start());
			String collection = before.substring(before.substring(0, before.length() - 1).lastIndexOf('/') + 1,
					before.length() - 1);
			UUID value = switch (name) {
				case "commitId" -> commit;
				case "userId" -> ownerId;
				default -> ids.getOrDefault(collection, UUID.randomUUID());
			};
			m.appendReplacement(out, value.toString());
		}
		m.appendTail(out);
		return out.toString();
	}

	private String snapshot(TestUser owner, UUID project) {
		return db.sql("""
				SELECT p.head_commit_id || '|' || p.fork_count || '|' || p.name || '|' || p.visibility || '|'
				       || (SELECT count(*) FROM workspace_members WHERE workspace_id = :w) || '|'
				       || (SELECT coalesce(string_agg(status, ',' ORDER BY id), '') FROM workspace_invitations WHERE workspace_id = :w) || '|'
				       || (SELECT count(*) FROM projects WHERE workspace_id = :w) || '|'
				       || (SELECT count(*) FROM prompts WHERE workspace_id = :w) || '|'
				       || (SELECT count(*) FROM api_keys WHERE user_id = :u AND revoked_at IS NULL) || '|'
				       || (SELECT balance FROM credit_accounts WHERE workspace_id = :w)
				FROM projects p WHERE p.id = :p""")
			.param("w", owner.workspaceId()).param("u", owner.userId()).param("p", project)
			.query(String.class).single();
	}

	private List<Endpoint> endpoints() {
		List<Endpoint> endpoints = new ArrayList<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
			// The studio's pages sign in by cookie and answer in HTML; StudioPageTest covers them.
			String module = entry.getValue().getBeanType().getPackageName();
			if (!module.startsWith("dev.phork") || module.equals("dev.phork.studio")) {
				continue;
			}
			RequestMappingInfo info = entry.getKey();
			for (String pattern : info.getPatternValues()) {
				if (PUBLIC.contains(pattern)) {
					continue;
				}
				for (RequestMethod method : info.getMethodsCondition().getMethods()) {
					endpoints.add(new Endpoint(method.name(), pattern));
				}
			}
		}
		return endpoints;
	}

}
