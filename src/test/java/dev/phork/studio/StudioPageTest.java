package dev.phork.studio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import dev.phork.studio.Browser.Page;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every studio page over real HTTP: what it renders, and who may see it (exactly as the API decides). */
class StudioPageTest extends ApiTest {

	private Browser browser() {
		return new Browser(port);
	}

	private UUID workspaceOf(String email) {
		return db.sql("""
				SELECT w.id FROM workspaces w JOIN users u ON u.id = w.created_by
				WHERE u.email = :email AND w.personal""").param("email", email).query(UUID.class).single();
	}

	@Test
	void anonymousBrowsersAreSentToSignInWhileTheApiAnswersAsBefore() {
		Browser anonymous = browser();
		Page front = anonymous.get("/");
		assertThat(front.status()).isEqualTo(302);
		assertThat(front.header("Location").orElseThrow()).endsWith("/studio/signin");
		Page signIn = anonymous.get("/studio/signin");
		assertThat(signIn.status()).isEqualTo(200);
		assertThat(signIn.header("Content-Type").orElseThrow()).startsWith("text/html");
		assertThat(signIn.body()).contains("<label for=\"email\">", "name=\"_csrf\"");
		assertThat(signIn.header("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
		assertThat(anonymous.get("/studio/projects/" + UUID.randomUUID()).header("Location").orElseThrow())
			.endsWith("/studio/signin");

		Http.Response api = http.get("/projects", null);
		assertThat(api.status()).isEqualTo(401);
		assertThat(api.header("Content-Type")).startsWith("application/problem+json");
		TestUser user = register();
		http.get("/projects", user.token()).assertStatus(200);
		http.post("/projects", user.token(), "{\"workspaceId\":\"" + user.workspaceId() + "\",\"name\":\"no csrf for bearer\"}")
			.assertStatus(201);
	}

	@Test
	void registeringSignsInWithAnHttpOnlySameSiteCookieThatIsAnOrdinarySignInToken() {
		Browser b = browser();
		b.get("/studio/register");
		Page page = b.post("/studio/register", "name", "Ada", "email",
				"ada" + UUID.randomUUID().toString().substring(0, 8) + "@example.com", "password", "correct horse battery");
		assertThat(page.status()).isEqualTo(302);
		String cookie = page.headers("Set-Cookie").stream().filter(c -> c.startsWith("phork_session=")).findFirst().orElseThrow();
		assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Secure");
		Page home = b.get("/studio");
		assertThat(home.status()).isEqualTo(200);
		assertThat(home.body()).contains("Ada&#39;s workspace", "1000 credits");
		// The same token works for the API: one sign-in, one revocation list.
		http.get("/auth/me", b.cookie("phork_session").orElseThrow()).assertStatus(200);
	}

	@Test
	void signInErrorsAreWordsAndKeepWhatWasTyped() {
		Browser b = browser();
		b.get("/studio/register");
		Page tooShort = b.post("/studio/register", "email", "kept@example.com", "password", "short");
		assertThat(tooShort.status()).isEqualTo(400);
		assertThat(tooShort.body()).contains("password must be 10 to 1024 characters", "value=\"kept@example.com\"");
		b.get("/studio/signin");
		Page wrong = b.post("/studio/signin", "email", "nobody@example.com", "password", "wrong password!");
		assertThat(wrong.status()).isEqualTo(401);
		assertThat(wrong.body()).contains("Email or password is wrong.", "value=\"nobody@example.com\"")
			.doesNotContain("\"code\"");
	}

	@Test
	void formsWithoutTheCsrfTokenAreRefusedAndChangeNothing() {
		Browser b = browser();
		String email = b.register("Csrf");
		UUID workspace = workspaceOf(email);
		long before = db.sql("SELECT count(*) FROM projects WHERE workspace_id = :w").param("w", workspace)
			.query(Long.class).single();
		Page refused = b.postRaw("/studio/projects", "workspaceId", workspace.toString(), "name", "forged");
		assertThat(refused.status()).as(refused.header("Location").orElse("") + refused.body()).isEqualTo(403);
		assertThat(refused.body()).contains("security token");
		Page wrongToken = b.postRaw("/studio/projects", "workspaceId", workspace.toString(), "name", "forged", "_csrf", "abc");
		assertThat(wrongToken.status()).isEqualTo(403);
		assertThat(db.sql("SELECT count(*) FROM projects WHERE workspace_id = :w").param("w", workspace)
			.query(Long.class).single()).isEqualTo(before);
		b.get("/studio");
		assertThat(b.post("/studio/projects", "workspaceId", workspace.toString(), "name", "real").status()).isEqualTo(302);
	}

	@Test
	void strangersGetA404PageOnEveryPageOfAPrivateProject() {
		TestUser owner = register();
		UUID project = createProject(owner, "owner's secret project", "private");
		Browser stranger = browser();
		stranger.register("Stranger");
		for (String path : new String[] { "", "/plan", "/tree", "/diff" }) {
			Page page = stranger.get("/studio/projects/" + project + path);
			assertThat(page.status()).as(path).isEqualTo(404);
			assertThat(page.header("Content-Type").orElseThrow()).startsWith("text/html");
			assertThat(page.body()).as(path).contains("Not found").doesNotContain("secret");
		}
		assertThat(stranger.get("/studio/workspaces/" + owner.workspaceId()).status()).isEqualTo(404);
		assertThat(stranger.get("/studio?workspace=" + owner.workspaceId()).status()).isEqualTo(404);
		stranger.get("/studio");
		Page fork = stranger.post("/studio/projects/" + project + "/fork", "workspaceId",
				workspaceOf(stranger.cookie("phork_session").map(t -> emailOf(t)).orElseThrow()).toString());
		assertThat(fork.status()).isEqualTo(404);
		assertThat(db.sql("SELECT fork_count FROM projects WHERE id = :p").param("p", project).query(Integer.class).single())
			.isZero();
	}

	@Test
	void viewersSeeTheProjectButNoEditingAndTheirEditsAreRefused() {
		TestUser owner = register();
		UUID project = createProject(owner, "shared", "private");
		commit(owner, project, "one scene", "[{\"prompt\":\"a quiet harbour\"}]");
		Browser viewer = browser();
		String email = viewer.register("Viewer");
		TestUser viewerUser = new TestUser(viewer.cookie("phork_session").orElseThrow(), null, workspaceOf(email), email);
		addMember(owner, owner.workspaceId(), viewerUser, "viewer");
		Page page = viewer.get("/studio/projects/" + project);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("a quiet harbour").doesNotContain("Save prompt", "Generate a storyboard");
		UUID scene = db.sql("SELECT (timeline->'scenes'->0->>'id')::uuid FROM commits c JOIN projects p ON p.head_commit_id = c.id WHERE p.id = :p")
			.param("p", project).query(UUID.class).single();
		Page refused = viewer.post("/studio/projects/" + project + "/scenes/" + scene, "prompt", "changed");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.body()).contains("editor role");
	}

	@Test
	void everyPageRendersForItsOwnerAndEscapesWhatUsersTyped() {
		Browser b = browser();
		String email = b.register("Owner <b>bold</b>");
		UUID workspace = workspaceOf(email);
		b.get("/studio");
		Page created = b.post("/studio/projects", "workspaceId", workspace.toString(), "name", "<script>alert(1)</script>",
				"visibility", "public");
		assertThat(created.status()).isEqualTo(302);
		String projectPath = created.header("Location").orElseThrow().replaceFirst("^https?://[^/]+", "");
		UUID project = UUID.fromString(projectPath.substring(projectPath.lastIndexOf('/') + 1));
		Page projectPage = b.get(projectPath);
		assertThat(projectPage.status()).isEqualTo(200);
		assertThat(projectPage.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
		Page inserted = b.post("/studio/projects/" + project + "/scenes", "prompt", "<img src=x onerror=alert(2)>");
		assertThat(inserted.status()).isEqualTo(302);
		assertThat(b.get(projectPath).body()).contains("&lt;img src=x onerror=alert(2)&gt;").doesNotContain("<img src=x");
		for (String path : new String[] { "/studio", "/studio/workspaces/" + workspace, "/studio/workspaces/" + workspace + "/jobs",
				"/studio/explore", projectPath + "/plan", projectPath + "/tree", projectPath + "/diff" }) {
			Page page = b.get(path);
			assertThat(page.status()).as(path).isEqualTo(200);
			assertThat(page.body()).as(path).doesNotContain("<b>bold</b>", "<script>alert(1)");
		}
		assertThat(b.get("/studio/explore").body()).contains(project.toString());
		assertThat(b.get(projectPath + "/tree").body()).contains("<svg", "data-project-id=\"" + project + "\"");
	}

	@Test
	void scenesAreInsertedMovedAndDeletedAsCommitsOnTheHead() {
		Browser b = browser();
		String email = b.register("Editor");
		TestUser user = new TestUser(b.cookie("phork_session").orElseThrow(), null, workspaceOf(email), email);
		UUID project = createProject(user, "order", "private");
		commit(user, project, "two scenes", "[{\"prompt\":\"first\"},{\"prompt\":\"second\"}]");
		String path = "/studio/projects/" + project;
		b.get(path);
		UUID first = sceneIds(project)[0];
		assertThat(b.post(path + "/scenes", "afterId", first.toString(), "prompt", "in between").status()).isEqualTo(302);
		assertThat(prompts(project)).isEqualTo("first|in between|second");
		assertThat(b.post(path + "/order", "move", first.toString(), "by", "1").status()).isEqualTo(302);
		assertThat(prompts(project)).isEqualTo("in between|first|second");
		UUID[] ids = sceneIds(project);
		assertThat(b.post(path + "/order", "order", ids[2].toString(), "order", ids[1].toString(), "order", ids[0].toString())
			.status()).isEqualTo(302);
		assertThat(prompts(project)).isEqualTo("second|first|in between");
		assertThat(b.post(path + "/scenes/" + ids[1] + "/delete").status()).isEqualTo(302);
		assertThat(prompts(project)).isEqualTo("second|in between");
		Page unknown = b.post(path + "/scenes/" + UUID.randomUUID() + "/delete");
		assertThat(unknown.status()).isIn(400, 404, 422);
		assertThat(unknown.body()).contains("edit-error");
		assertThat(prompts(project)).isEqualTo("second|in between");
		assertThat(db.sql("SELECT message FROM commits c JOIN projects p ON p.head_commit_id = c.id WHERE p.id = :p")
			.param("p", project).query(String.class).single()).isEqualTo("Delete a scene");
	}

	private String prompts(UUID project) {
		return db.sql("""
				SELECT string_agg(s->>'prompt', '|' ORDER BY n) FROM projects p JOIN commits c ON c.id = p.head_commit_id,
				       jsonb_array_elements(c.timeline->'scenes') WITH ORDINALITY AS t(s, n) WHERE p.id = :p""")
			.param("p", project).query(String.class).single();
	}

	private UUID[] sceneIds(UUID project) {
		return db.sql("""
				SELECT (s->>'id')::uuid FROM projects p JOIN commits c ON c.id = p.head_commit_id,
				       jsonb_array_elements(c.timeline->'scenes') WITH ORDINALITY AS t(s, n) WHERE p.id = :p ORDER BY n""")
			.param("p", project).query(UUID.class).list().toArray(UUID[]::new);
	}

	@Test
	void thePromptLibraryListsCreatesForksAndShowsLineageToMembersOnly() {
		Browser b = browser();
		String email = b.register("Poet");
		UUID workspace = workspaceOf(email);
		b.get("/studio/prompts");
		Page created = b.post("/studio/prompts", "workspaceId", workspace.toString(), "title", "Golden hour <i>",
				"body", "low sun, long shadows");
		assertThat(created.status()).isEqualTo(302);
		String path = created.header("Location").orElseThrow().replaceFirst("^https?://[^/]+", "");
		assertThat(b.get("/studio/prompts").body()).contains("Golden hour &lt;i&gt;");
		b.get(path);
		Page forked = b.post(path + "/fork", "workspaceId", workspace.toString());
		assertThat(forked.status()).isEqualTo(302);
		String forkPath = forked.header("Location").orElseThrow().replaceFirst("^https?://[^/]+", "");
		assertThat(b.get(forkPath).body()).contains("Golden hour &lt;i&gt;", "href=\"" + path + "\"");
		Browser stranger = browser();
		stranger.register("Other");
		assertThat(stranger.get(path).status()).isEqualTo(404);
	}

	@Test
	void signingOutRevokesTheTokenAndAnEndedSessionGoesToSignIn() {
		Browser b = browser();
		b.register("Leaver");
		String token = b.cookie("phork_session").orElseThrow();
		b.get("/studio");
		Page out = b.post("/studio/signout");
		assertThat(out.status()).isEqualTo(302);
		assertThat(out.header("Location").orElseThrow()).endsWith("/studio/signin");
		http.get("/auth/me", token).assertStatus(401);

		Browser stale = browser();
		stale.setCookie("phork_session", token);
		Page page = stale.get("/studio");
		assertThat(page.status()).isEqualTo(302);
		assertThat(page.header("Location").orElseThrow()).endsWith("/studio/signin?expired");
		assertThat(page.headers("Set-Cookie")).anyMatch(c -> c.startsWith("phork_session=;") && c.contains("Max-Age=0"));
		assertThat(browser().get("/studio/signin?expired").body()).contains("Your session has ended");
	}

	private String emailOf(String token) {
		return http.get("/auth/me", token).assertStatus(200).json().get("email").asString();
	}

}
