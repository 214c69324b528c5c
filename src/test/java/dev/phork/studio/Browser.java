package dev.phork.studio;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a screen for the page tests: keeps cookies, does not follow redirects, and
 * sends forms with the CSRF field of the last page it read.
 */
final class Browser {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final String base;

	private final CookieManager cookies = new CookieManager();

	private final HttpClient client;

	private String csrf = "";

	Browser(int port) {
		this.base = "http://localhost:" + port;
		this.client = HttpClient.newBuilder()
			.cookieHandler(cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

	record Page(int status, String body, HttpResponse<String> raw) {

		Optional<String> header(String name) {
			return raw.headers().firstValue(name);
		}

		List<String> headers(String name) {
			return raw.headers().allValues(name);
		}

	}

	Page get(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
		if (headers.length > 0) {
			request.headers(headers);
		}
		Page page = send(request);
		Matcher m = CSRF.matcher(page.body());
		if (m.find()) {
			csrf = m.group(1);
		}
		return page;
	}

	/** Posts a form with the CSRF token of the last page read. */
	Page post(String path, String... fields) {
		List<String> all = new ArrayList<>(List.of(fields));
		all.add("_csrf");
		all.add(csrf);
		return postRaw(path, all.toArray(String[]::new));
	}

	/** Posts a form as given: no CSRF token unless the fields carry one. */
	Page postRaw(String path, String... fields) {
		List<String> pairs = new ArrayList<>();
		for (int i = 0; i < fields.length; i += 2) {
			pairs.add(URLEncoder.encode(fields[i], StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
		}
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(pairs.stream().collect(Collectors.joining("&")))));
	}

	Optional<String> cookie(String name) {
		return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue)
			.findFirst();
	}

	void setCookie(String name, String value) {
		HttpCookie cookie = new HttpCookie(name, value);
		cookie.setPath("/");
		cookie.setVersion(0);
		cookies.getCookieStore().add(URI.create(base), cookie);
	}

	/** Registers a new account through the pages and stays signed in; answers the email. */
	String register(String name) {
		String email = "b" + java.util.UUID.randomUUID().toString().replace("-", "") + "@example.com";
		get("/studio/register");
		Page page = post("/studio/register", "name", name, "email", email, "password", "correct horse battery");
		if (page.status() != 302) {
			throw new AssertionError("registration failed: " + page.status() + " " + page.body());
		}
		return email;
	}

	private Page send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Page(response.statusCode(), response.body(), response);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
