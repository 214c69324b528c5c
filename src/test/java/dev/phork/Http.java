package dev.phork;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A thin real-HTTP client for the tests: JSON in, status + headers + JSON out. */
public final class Http {

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private final String base;

	private final JsonMapper json;

	private final HttpClient client;

	public Http(String base, JsonMapper json) {
		this(base, json, CLIENT);
	}

	/** A client of its own, e.g. one bound to another loopback source address. */
	public Http(String base, JsonMapper json, HttpClient client) {
		this.base = base;
		this.json = json;
		this.client = client;
	}

	/** A client whose requests come from the given local address, as another machine's would. */
	public static HttpClient from(java.net.InetAddress localAddress) {
		return HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.version(HttpClient.Version.HTTP_1_1)
			.localAddress(localAddress)
			.build();
	}

	public String base() {
		return base;
	}

	public Response get(String path, @Nullable String token) {
		return send("GET", path, token, null, null);
	}

	public Response post(String path, @Nullable String token, @Nullable String body) {
		return send("POST", path, token, body, null);
	}

	public Response patch(String path, @Nullable String token, String body) {
		return send("PATCH", path, token, body, null);
	}

	public Response delete(String path, @Nullable String token) {
		return send("DELETE", path, token, null, null);
	}

	/** Uploads a reference image to the workspace, as multipart form data. */
	public Response upload(@Nullable String token, UUID workspaceId, String filename, byte[] content) {
		String boundary = "----phork" + UUID.randomUUID();
		java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"workspaceId\"\r\n\r\n" + workspaceId
				+ "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
		body.writeBytes(content);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/assets/uploads"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		try {
			return new Response(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()), json);
		}
		catch (IOException ex) {
			throw new IllegalStateException("upload failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public Response send(String method, String path, @Nullable String token, @Nullable String body,
			@Nullable String[] extraHeaders) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (extraHeaders != null) {
			request.headers(extraHeaders);
		}
		boolean typed = extraHeaders != null && java.util.Arrays.asList(extraHeaders).contains("Content-Type");
		if (body != null) {
			if (!typed) {
				request.header("Content-Type", "application/json");
			}
			request.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		try {
			HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response, json);
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public record Response(HttpResponse<String> raw, JsonMapper mapper) {

		public int status() {
			return raw.statusCode();
		}

		public String body() {
			return raw.body();
		}

		public JsonNode json() {
			return mapper.readTree(raw.body());
		}

		public UUID uuid(String field) {
			return UUID.fromString(json().get(field).asString());
		}

		public String header(String name) {
			return raw.headers().firstValue(name).orElse(null);
		}

		public Response assertStatus(int expected) {
			assertThat(status()).as("%s %s -> %s", raw.request().method(), raw.request().uri(), body()).isEqualTo(expected);
			return this;
		}

		/** Asserts an RFC 9457 problem with the given status and stable code. */
		public Response assertProblem(int expected, String code) {
			assertStatus(expected);
			assertThat(header("Content-Type")).startsWith("application/problem+json");
			assertThat(json().get("code").asString()).as(body()).isEqualTo(code);
			assertThat(json().get("status").asInt()).isEqualTo(expected);
			return this;
		}

	}

}
