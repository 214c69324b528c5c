package dev.phork.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import dev.phork.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Requests that are malformed below the JSON body (query strings, multipart framing, paths, methods,
 * headers) get an RFC 9457 problem with a {@code code} from every layer that can refuse them: Tomcat,
 * Spring Security's firewall, the servlet error page and Spring MVC. Sent over a raw socket where an
 * HTTP client would refuse to send them.
 */
class ProtocolErrorsTest extends ApiTest {

	@Test
	void malformedQueryStringsAre400OnEveryEndpointThatReadsParameters() throws IOException {
		TestUser user = register();
		for (String query : new String[] { "/jobs?=x", "/jobs?workspaceId=%zz", "/jobs?workspaceId=%ff",
				"/projects?=x", "/credits/balance?workspaceId=%zz", "/prompts?workspaceId=%g1" }) {
			assertProblem(raw("GET " + query + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + user.token()
					+ "\r\nConnection: close\r\n", null, null), 400, "invalid_query");
		}
	}

	@Test
	void aRepeatedQueryParameterIs400() {
		TestUser user = register();
		Http.Response repeated = http.get("/projects?limit=5&limit=abc", user.token())
			.assertProblem(400, "repeated_parameter");
		assertThat(repeated.json().get("errors").get(0).get("field").asString()).isEqualTo("limit");
		http.get("/projects?limit=5&limit=5", user.token()).assertProblem(400, "repeated_parameter");
		http.get("/jobs?workspaceId=" + user.workspaceId() + "&workspaceId=" + UUID.randomUUID(), user.token())
			.assertProblem(400, "repeated_parameter");
		http.get("/projects?limit=5", user.token()).assertStatus(200);
	}

	@Test
	void malformedMultipartBodiesAre400AndMultipartToAJsonEndpointIs415() throws IOException {
		TestUser user = register();
		String upload = "POST /assets/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + user.token()
				+ "\r\nConnection: close\r\n";
		String ws = "--XX\r\nContent-Disposition: form-data; name=\"workspaceId\"\r\n\r\n" + user.workspaceId() + "\r\n";
		String noBoundary = "abc";
		assertProblem(raw(upload, "multipart/form-data", noBoundary.getBytes(StandardCharsets.US_ASCII)), 400,
				"malformed_multipart");
		String truncated = ws + "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\nabc";
		assertProblem(raw(upload, "multipart/form-data; boundary=XX", truncated.getBytes(StandardCharsets.US_ASCII)),
				400, "malformed_multipart");
		String nul = ws + "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\0.png\"\r\n\r\nabc\r\n--XX--\r\n";
		assertProblem(raw(upload, "multipart/form-data; boundary=XX", nul.getBytes(StandardCharsets.US_ASCII)), 400,
				"malformed_multipart");
		String json = "POST /projects HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + user.token()
				+ "\r\nConnection: close\r\n";
		assertProblem(raw(json, "multipart/form-data; boundary=XX", truncated.getBytes(StandardCharsets.US_ASCII)), 415,
				"unsupported_media_type");
		assertProblem(raw(json, "multipart/form-data", noBoundary.getBytes(StandardCharsets.US_ASCII)), 415,
				"unsupported_media_type");
		assertThat(db.sql("SELECT count(*) FROM assets WHERE workspace_id = :w").param("w", user.workspaceId())
			.query(Long.class).single()).isZero();
	}

	/** A 190-byte upload with a 600-character name was a 413 "Maximum upload size exceeded". */
	@Test
	void aLongFileNameIsCutToALabelAndAHugeOneIs400() {
		TestUser user = register();
		Http.Response named = http.upload(user.token(), user.workspaceId(), "n".repeat(600) + ".png", png())
			.assertStatus(201);
		assertThat(named.json().get("name").asString()).hasSize(255).startsWith("nnn");
		http.upload(user.token(), user.workspaceId(), "n".repeat(9000) + ".png", png())
			.assertProblem(400, "part_header_too_large");
	}

	@Test
	void theFirewallsRefusalsAreProblems() throws IOException {
		for (String path : new String[] { "/health%0A", "/health;x", "//health", "/assets/%2e%2e/health" }) {
			JsonNode problem = assertProblem(raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n", null,
					null), 400, "rejected_request");
			assertThat(problem.get("type").asString()).isEqualTo(Problems.TYPE_BASE + "rejected_request");
		}
	}

	@Test
	void traceAndTheErrorPageItselfAreProblems() throws IOException {
		assertProblem(raw("TRACE /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n", null, null), 405,
				"method_not_allowed");
		http.get("/error", null).assertProblem(404, "not_found");
	}

	/** Refused by Tomcat before any servlet: once its HTML error page. */
	@Test
	void requestsTomcatRefusesAreProblemsToo() throws IOException {
		assertProblem(raw("GET /a%5Cb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n", null, null), 400, "bad_request");
		assertProblem(raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\nConnection: close\r\n", null, null),
				400, "bad_request");
		assertProblem(raw("GET /health?a=" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n", null,
				null), 400, "bad_request");
	}

	@Test
	void aWrongMethodOnASubmissionPathIs405NotAParameterError() {
		TestUser user = register();
		Http.Response get = http.get("/jobs/gen-video", user.token()).assertProblem(405, "method_not_allowed");
		assertThat(get.header("Allow")).isEqualTo("POST");
		for (String path : new String[] { "/jobs/gen-audio", "/jobs/gen-image", "/jobs/animate", "/jobs/render",
				"/assets/uploads" }) {
			http.get(path, user.token()).assertProblem(405, "method_not_allowed");
		}
		http.get("/jobs/not-an-id", user.token()).assertProblem(400, "invalid_parameter");
	}

	private static byte[] png() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
					"png", out);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	private record RawResponse(int status, String headers, String body) {
	}

	/** Sends the request head (and body) as given, byte for byte, and reads the whole answer. */
	private RawResponse raw(String head, String contentType, byte[] body) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			StringBuilder request = new StringBuilder(head);
			if (body != null) {
				request.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
					.append("\r\n");
			}
			request.append("\r\n");
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			if (body != null) {
				out.write(body);
			}
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			int split = response.indexOf("\r\n\r\n");
			String headers = response.substring(0, split);
			String rest = response.substring(split + 4);
			if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
				rest = unchunk(rest);
			}
			return new RawResponse(Integer.parseInt(headers.substring(9, 12)), headers, rest);
		}
	}

	private static String unchunk(String chunked) {
		StringBuilder body = new StringBuilder();
		int at = 0;
		while (true) {
			int end = chunked.indexOf("\r\n", at);
			int size = Integer.parseInt(chunked.substring(at, end).strip(), 16);
			if (size == 0) {
				return body.toString();
			}
			body.append(chunked, end + 2, end + 2 + size);
			at = end + 2 + size + 2;
		}
	}

	private JsonNode assertProblem(RawResponse response, int status, String code) {
		assertThat(response.status()).as(response.headers() + "\n" + response.body()).isEqualTo(status);
		assertThat(response.headers().toLowerCase(Locale.ROOT)).contains("content-type: application/problem+json");
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("code").asString()).isEqualTo(code);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		return problem;
	}

}
