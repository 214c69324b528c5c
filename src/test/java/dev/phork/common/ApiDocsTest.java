package dev.phork.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phork.ApiTest;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The OpenAPI document is generated from the code, public, and describes bearer authentication. */
class ApiDocsTest extends ApiTest {

	@Test
	void openApiDocumentDescribesTheApi() {
		JsonNode docs = http.get("/v3/api-docs", null).assertStatus(200).json();
		assertThat(docs.get("paths").has("/projects/{id}/fork")).isTrue();
		assertThat(docs.get("paths").has("/jobs/gen-video")).isTrue();
		assertThat(docs.get("paths").has("/projects/{id}/plan")).isTrue();
		assertThat(docs.get("components").get("securitySchemes").get("bearer").get("scheme").asString()).isEqualTo("bearer");
		assertThat(docs.toString()).doesNotContain("\"name\":\"caller\"");
		assertThat(http.get("/swagger-ui.html", null).status()).isIn(200, 302);
	}

}
