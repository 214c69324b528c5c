package dev.phork.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Range requests on signed content URLs (RFC 9110, section 14): an invalid Range header is ignored
 * and the whole body served (200); one that no byte satisfies, or whose numbers overflow, is a 416
 * problem with {@code Content-Range: bytes *}{@code /size} and no content.
 */
class ContentRangeTest extends ApiTest {

	private static final HttpClient RAW = HttpClient.newHttpClient();

	@Test
	void invalidRangesAreIgnoredAndUnsatisfiableOnesAre416Problems() {
		TestUser user = register();
		UUID job = submit(user, "gen-image", "{\"workspaceId\":\"" + user.workspaceId()
				+ "\",\"prompt\":\"ok:ranges\",\"provider\":\"scripted\"}").uuid("id");
		String assetId = awaitJob(user, job).get("resultAssetId").asString();
		String url = http.get("/assets/" + assetId, user.token()).assertStatus(200).json().get("url").asString();
		byte[] whole = get(url, null).body();
		int size = whole.length;

		for (String invalid : new String[] { "bytes=zz", "bytes=5-2", "items=0-1", "bytes=", "bytes=-", "bytes=1-2-3" }) {
			HttpResponse<byte[]> ignored = get(url, invalid);
			assertThat(ignored.statusCode()).as(invalid).isEqualTo(200);
			assertThat(ignored.body()).as(invalid).isEqualTo(whole);
		}
		for (String unsatisfiable : new String[] { "bytes=0-99999999999999999999", "bytes=99999999999999999999-",
				"bytes=" + size + "-", "bytes=" + (size + 10) + "-" + (size + 20), "bytes=-0" }) {
			HttpResponse<byte[]> refused = get(url, unsatisfiable);
			assertThat(refused.statusCode()).as(unsatisfiable).isEqualTo(416);
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(refused.headers().firstValue("Content-Range")).hasValue("bytes */" + size);
			JsonNode problem = json.readTree(refused.body());
			assertThat(problem.get("code").asString()).isEqualTo("range_not_satisfiable");
		}
		HttpResponse<byte[]> first = get(url, "bytes=0-9");
		assertThat(first.statusCode()).isEqualTo(206);
		assertThat(first.body()).isEqualTo(Arrays.copyOf(whole, 10));
		HttpResponse<byte[]> past = get(url, "bytes=" + (size - 4) + "-" + (size + 1000));
		assertThat(past.statusCode()).isEqualTo(206);
		assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes " + (size - 4) + "-" + (size - 1) + "/" + size);
		assertThat(past.body()).isEqualTo(Arrays.copyOfRange(whole, size - 4, size));
		HttpResponse<byte[]> partlySatisfiable = get(url, "bytes=0-1," + (size + 5) + "-");
		assertThat(partlySatisfiable.statusCode()).isEqualTo(206);
		assertThat(partlySatisfiable.body()).isEqualTo(Arrays.copyOf(whole, 2));
		HttpResponse<byte[]> two = get(url, "bytes=0-1,4-5");
		assertThat(two.statusCode()).isEqualTo(206);
		assertThat(two.headers().firstValue("Content-Type").orElseThrow()).startsWith("multipart/byteranges");
	}

	private HttpResponse<byte[]> get(String pathAndQuery, String range) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
			.timeout(Duration.ofSeconds(20));
		if (range != null) {
			request.header("Range", range);
		}
		try {
			return RAW.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
