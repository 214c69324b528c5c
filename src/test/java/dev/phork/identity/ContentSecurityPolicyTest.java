package dev.phork.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every response carries a Content-Security-Policy: a strict one for pages, "nothing" for the rest. */
class ContentSecurityPolicyTest extends ApiTest {

	static final String PAGES = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			+ "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
			+ "form-action 'self'; frame-ancestors 'none'";

	static final String NOTHING = "default-src 'none'; frame-ancestors 'none'";

	@Test
	void swaggerUiCarriesThePagePolicyAndNeedsNoInlineScript() {
		Http.Response page = http.get("/swagger-ui/index.html", null).assertStatus(200);
		assertThat(page.header("Content-Type")).startsWith("text/html");
		assertThat(page.header("Content-Security-Policy")).isEqualTo(PAGES);
		// The policy refuses inline scripts and event handlers: the page must have none.
		assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>\\s*\\S", Pattern.CASE_INSENSITIVE).matcher(page.body())
			.find()).isFalse();
		assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(page.body()).find()).isFalse();
		Http.Response initializer = http.get("/swagger-ui/swagger-initializer.js", null).assertStatus(200);
		assertThat(initializer.header("Content-Security-Policy")).isEqualTo(NOTHING);
	}

	@Test
	void jsonAndProblemsMayLoadNothing() {
		assertThat(http.get("/health", null).assertStatus(200).header("Content-Security-Policy")).isEqualTo(NOTHING);
		assertThat(http.get("/v3/api-docs", null).assertStatus(200).header("Content-Security-Policy")).isEqualTo(NOTHING);
		assertThat(http.get("/projects", null).assertStatus(401).header("Content-Security-Policy")).isEqualTo(NOTHING);
		TestUser user = register();
		assertThat(http.get("/auth/me", user.token()).assertStatus(200).header("Content-Security-Policy"))
			.isEqualTo(NOTHING);
	}

}
