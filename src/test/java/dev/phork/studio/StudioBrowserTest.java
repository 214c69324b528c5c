package dev.phork.studio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The studio in a real browser (Debian's headless Chromium driven by Selenium) against the real
 * server: a creator's whole round trip, and the refusals a browser must meet. The screenshots of
 * the README are taken here, into docs/screenshots.
 */
class StudioBrowserTest extends ApiTest {

	private static final Path SCREENSHOTS = Path.of("docs", "screenshots");

	private ChromeDriver driver;

	private Path profile;

	private String base;

	@BeforeEach
	void startBrowser() throws IOException {
		base = "http://localhost:" + port;
		profile = Files.createTempDirectory("phork-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(System.getProperty("phork.chromium", "/usr/bin/chromium"));
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
				"--window-size=1280,900", "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(Path.of(System.getProperty("phork.chromedriver", "/usr/bin/chromedriver")).toFile())
			.build();
		driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
	}

	@AfterEach
	void stopBrowser() throws IOException {
		if (driver != null) {
			driver.quit();
		}
		try (var files = Files.walk(profile)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
	}

	@Test
	void aCreatorGeneratesWatchesForksEditsAndRegeneratesAStoryboard() throws IOException {
		String name = "Mara " + UUID.randomUUID().toString().substring(0, 6);
		open("/");
		assertThat(driver.getCurrentUrl()).endsWith("/studio/signin");
		shot("signin");
		driver.findElement(By.linkText("Create an account")).click();
		registerAs(name);
		assertThat(text("#workspaces")).contains(name + "'s workspace", "1000 credits");

		driver.findElement(By.id("project-name")).sendKeys("Harbour at dawn");
		driver.findElement(By.id("project-visibility")).sendKeys("public");
		driver.findElement(By.cssSelector("form[action$='/studio/projects'] button")).click();
		String original = driver.getCurrentUrl();
		assertThat(original).as(text("main")).contains("/studio/projects/");

		driver.findElement(By.id("logline")).sendKeys(
				"A fisherman rows out before sunrise. A storm gathers over the bay. He returns with an empty net and a smile.");
		WebElement count = driver.findElement(By.id("scene-count"));
		count.clear();
		count.sendKeys("3");
		driver.findElement(By.cssSelector("#generate button")).click();
		long estimate = Long.parseLong(text("#estimate-credits"));
		assertThat(estimate).isPositive();
		shot("estimate");
		driver.findElement(By.id("generate-confirm")).click();

		awaitPipelineWithoutReload();
		assertPlays("pipeline-render");
		shot("project-rendered");
		open(original.replaceFirst("^https?://[^/]+", ""));
		assertThat(driver.findElements(By.cssSelector("ol.timeline li.scene"))).hasSize(3);
		shot("project");

		// Fork at the head (the first commit offered), into the creator's own workspace.
		driver.findElement(By.cssSelector("#fork-form button")).click();
		String fork = driver.getCurrentUrl();
		assertThat(fork).isNotEqualTo(original).contains("/studio/projects/");
		assertThat(text("h1")).isEqualTo("Harbour at dawn (fork)");

		driver.findElement(By.cssSelector("#scene-2 summary")).click();
		WebElement prompt = driver.findElement(By.id("prompt-2"));
		prompt.clear();
		prompt.sendKeys("The storm breaks: lightning over a green sea, the boat tossed high");
		driver.findElement(By.cssSelector("#scene-2 form[action*='/scenes/'] button")).click();
		assertThat(text("#scene-2 .prompt")).startsWith("The storm breaks");

		driver.findElement(By.linkText("Plan")).click();
		List<WebElement> stale = driver.findElements(By.cssSelector("#plan tr.stale"));
		assertThat(stale).isNotEmpty();
		assertThat(stale).extracting(r -> r.getAttribute("data-scene")).containsOnly("2", "render").contains("2");
		assertThat(driver.findElements(By.cssSelector("#plan tr.inherited[data-scene='1'], #plan tr.inherited[data-scene='3']")))
			.isNotEmpty();
		long sum = stale.stream().mapToLong(r -> Long.parseLong(r.findElements(By.tagName("td")).get(4).getText())).sum();
		assertThat(Long.parseLong(text("#plan-total"))).isEqualTo(sum).isPositive();
		shot("plan");
		driver.findElement(By.id("regenerate")).click();

		awaitPipelineWithoutReload();
		assertPlays("pipeline-render");

		open(fork.replaceFirst("^https?://[^/]+", "") + "/tree");
		List<WebElement> nodes = driver.findElements(By.cssSelector("#fork-tree a.node"));
		assertThat(nodes).hasSize(2);
		String tree = text("#fork-tree");
		assertThat(tree).contains("Harbour at dawn", "Harbour at dawn (fork)", name + "'s workspace", "by " + name,
				"forked at", "original");
		shot("fork-tree");

		driver.manage().window().setSize(new Dimension(390, 844));
		open(fork.replaceFirst("^https?://[^/]+", ""));
		Object overflow = js().executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1;");
		assertThat(overflow).as("no horizontal scrolling at 390 px").isEqualTo(false);
		shot("project-390px");
	}

	@Test
	void aStrangerGetsANotFoundPageAFormWithoutItsTokenIsRefusedAndAnEndedSessionSignsOut() {
		TestUser owner = register();
		UUID project = createProject(owner, "owner's private cut", "private");
		open("/studio/register");
		registerAs("Stranger");
		open("/studio/projects/" + project);
		assertThat(driver.getTitle()).startsWith("Not found");
		assertThat(text("main")).doesNotContain("private cut");
		shot("not-found");

		open("/studio");
		js().executeScript("document.querySelectorAll('input[name=_csrf]').forEach(e => e.remove());");
		driver.findElement(By.id("workspace-name")).sendKeys("forged");
		driver.findElement(By.cssSelector("form[action$='/studio/workspaces'] button")).click();
		assertThat(text("main")).contains("did not carry the page's security token");
		open("/studio");
		assertThat(text("#workspaces")).doesNotContain("forged");

		// The session ends elsewhere (signed out through the API with the same token): the next page is sign-in.
		Cookie session = driver.manage().getCookieNamed("phork_session");
		assertThat(session.isHttpOnly()).isTrue();
		assertThat(session.getSameSite()).isEqualTo("Lax");
		http.post("/auth/logout", session.getValue(), null).assertStatus(204);
		open("/studio");
		assertThat(driver.getCurrentUrl()).endsWith("/studio/signin?expired");
		assertThat(text("main")).contains("Your session has ended");
		assertThat(driver.manage().getCookieNamed("phork_session")).isNull();
	}

	private void registerAs(String name) {
		driver.findElement(By.id("name")).sendKeys(name);
		driver.findElement(By.id("email"))
			.sendKeys("s" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "@example.com");
		driver.findElement(By.id("password")).sendKeys("correct horse battery");
		driver.findElement(By.cssSelector("main form button")).click();
		assertThat(driver.getCurrentUrl()).endsWith("/studio");
	}

	/** Waits for the pipeline panel to reach done by its event stream alone: the page is never reloaded. */
	private void awaitPipelineWithoutReload() {
		assertThat(driver.getCurrentUrl()).contains("pipeline=");
		js().executeScript("window.phorkSamePage = true;");
		new WebDriverWait(driver, Duration.ofSeconds(180)).pollingEvery(Duration.ofMillis(200))
			.until(d -> {
				Object status = js().executeScript("const e = document.getElementById('pipeline-status'); return e && e.textContent;");
				return status != null && !status.equals("running");
			});
		assertThat(text("#pipeline-status")).isEqualTo("succeeded");
		assertThat(js().executeScript("return window.phorkSamePage === true;")).isEqualTo(true);
	}

	/** The video element decodes (readyState >= 2) and its time advances as it plays. */
	private void assertPlays(String id) {
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
		wait.until(d -> ((Number) js().executeScript("return document.getElementById(arguments[0]).readyState;", id))
			.intValue() >= 2);
		js().executeScript("const v = document.getElementById(arguments[0]); v.muted = true; v.play();", id);
		wait.until(d -> ((Number) js().executeScript("return document.getElementById(arguments[0]).currentTime;", id))
			.doubleValue() > 0.3);
	}

	private void open(String path) {
		driver.get(base + path);
	}

	private String text(String css) {
		return driver.findElement(By.cssSelector(css)).getText();
	}

	private JavascriptExecutor js() {
		return driver;
	}

	private void shot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Path file = driver.getScreenshotAs(OutputType.FILE).toPath();
			Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
