package dev.phork.identity;

import dev.phork.common.ApiAnswers;
import dev.phork.common.ProblemCatalog;
import dev.phork.common.RecordSchemas;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.util.AntPathMatcher;

/**
 * The OpenAPI document, made to say what the server does (docs/api.md, "The OpenAPI document"):
 * bearer authentication except on {@link SecurityConfiguration#PUBLIC_PATHS}; each operation's
 * error responses as RFC 9457 problems listing their codes, those of {@link ApiAnswers} plus those
 * every operation of its shape answers; success statuses and event streams from {@link ApiAnswers};
 * paging bounds; {@code additionalProperties: false} on what requests send, since unknown fields
 * are refused. The {@link Caller} parameter is hidden: it comes from the token.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String PROBLEM_JSON = "application/problem+json";

	/** The operation's own codes, from {@link ApiAnswers}, carried from the operation pass to the document pass. */
	private static final String DECLARED = "x-phork-problems";

	static {
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
	}

	@Bean
	OpenAPI phorkOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Phork API")
				.description("Git for generative video. Errors are RFC 9457 problems with a stable code.")
				.version("1"))
			.components(new Components().addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.description("A token from /auth/login or /auth/register, or an API key (phk_...)")))
			.addSecurityItem(new SecurityRequirement().addList("bearer"));
	}

	@Bean
	GlobalOperationCustomizer apiAnswers() {
		return (operation, handler) -> {
			ApiAnswers answers = handler.getMethodAnnotation(ApiAnswers.class);
			if (answers == null) {
				return operation;
			}
			if (answers.success().length > 0) {
				ApiResponse generated = operation.getResponses().get("200");
				ApiResponses responses = new ApiResponses();
				for (int status : answers.success()) {
					responses.addApiResponse(String.valueOf(status), new ApiResponse()
						.description(HttpStatus.valueOf(status).getReasonPhrase())
						.content(generated == null ? null : generated.getContent()));
				}
				operation.getResponses().forEach((status, response) -> {
					if (!status.equals("200")) {
						responses.addApiResponse(status, response);
					}
				});
				operation.setResponses(responses);
			}
			if (answers.media().length > 0) {
				operation.getResponses().forEach((status, response) -> {
					if (status.startsWith("2") && response.getContent() != null) {
						Content binary = new Content();
						for (String type : answers.media()) {
							binary.addMediaType(type, new MediaType().schema(new StringSchema().format("binary")));
						}
						response.setContent(binary);
					}
				});
			}
			if (answers.events() != Void.class) {
				String name = answers.events().getSimpleName();
				operation.getResponses().values().forEach(response -> {
					MediaType stream = response.getContent() == null ? null : response.getContent().get("text/event-stream");
					if (stream != null) {
						stream.setSchema(new StringSchema().description("Server-Sent Events; the data of each event is a "
								+ name + " as JSON (x-event-data), its id the state it carries; `:heartbeat` comments between."));
						stream.addExtension("x-event-data", new Schema<>().$ref("#/components/schemas/" + name));
					}
				});
			}
			if (answers.problems().length > 0) {
				List.of(answers.problems()).forEach(ProblemCatalog::statuses);
				operation.addExtension(DECLARED, List.of(answers.problems()));
			}
			return operation;
		};
	}

	@Bean
	@SuppressWarnings("rawtypes")
	GlobalOpenApiCustomizer contract() {
		return openApi -> {
			AntPathMatcher matcher = new AntPathMatcher();
			Map<String, Schema> schemas = openApi.getComponents().getSchemas();
			Set<String> closed = new HashSet<>();
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				boolean open = List.of(SecurityConfiguration.PUBLIC_PATHS).stream()
					.anyMatch(pattern -> matcher.match(pattern, path));
				if (open) {
					operation.setSecurity(List.of());
				}
				bounds(operation);
				respondWithProblems(operation, method, !open);
				if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
					operation.getRequestBody().getContent().values()
						.forEach(media -> close(media.getSchema(), schemas, closed));
				}
			}));
			schemas.remove("SseEmitter");
			// Added here, not on the OpenAPI bean: springdoc drops schemas nothing refers to before this runs.
			schemas.put("FieldError", new ObjectSchema()
				.addProperty("field", new StringSchema().description("JSON path of the field, e.g. timeline.scenes[2].prompt"))
				.addProperty("message", new StringSchema())
				.required(List.of("field", "message")));
			schemas.put("Problem", problemSchema());
			schemas.values().forEach(schema -> {
				if (schema.getExtensions() != null) {
					schema.getExtensions().remove(RecordSchemas.DONE);
					if (schema.getExtensions().isEmpty()) {
						schema.setExtensions(null);
					}
				}
			});
		};
	}

	private static Schema<?> problemSchema() {
		return new ObjectSchema().description("An RFC 9457 problem; some codes add properties of their own.")
			.addProperty("type", new StringSchema().format("uri"))
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema())
			.addProperty("detail", new StringSchema())
			.addProperty("instance", new StringSchema().format("uri-reference"))
			.addProperty("code", new StringSchema().description("Stable; docs/api.md lists them all."))
			.addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/FieldError")))
			.required(List.of("type", "title", "status", "code"));
	}

	/** Paging bounds: {@code limit} 1 to 200 (50 by default), as {@code Cursor.limit} enforces. */
	private static void bounds(Operation operation) {
		for (Parameter parameter : operation.getParameters() == null ? List.<Parameter>of() : operation.getParameters()) {
			if ("query".equals(parameter.getIn()) && "limit".equals(parameter.getName())) {
				parameter.getSchema().setMinimum(BigDecimal.ONE);
				parameter.getSchema().setMaximum(BigDecimal.valueOf(200));
				parameter.getSchema().setDefault(50);
			}
			if ("query".equals(parameter.getIn()) && "cursor".equals(parameter.getName())) {
				parameter.description("Opaque, from the previous page's nextCursor.");
			}
		}
	}

	/**
	 * The operation's error responses: its declared codes and those of its shape (parameters, a
	 * body, authentication), grouped by status, each a problem whose {@code code} is one of them.
	 */
	@SuppressWarnings("unchecked")
	private static void respondWithProblems(Operation operation, PathItem.HttpMethod method, boolean secured) {
		Set<String> codes = new TreeSet<>();
		if (operation.getExtensions() != null && operation.getExtensions().remove(DECLARED) instanceof List<?> declared) {
			codes.addAll((List<String>) declared);
			if (operation.getExtensions().isEmpty()) {
				operation.setExtensions(null);
			}
		}
		// Refused before any handler, whatever the operation: the firewall, Tomcat, the query string.
		codes.addAll(List.of("internal_error", "not_acceptable", "bad_request", "rejected_request", "invalid_query",
				"repeated_parameter", "uri_too_long", "headers_too_large", "database_unavailable"));
		if (secured) {
			codes.addAll(List.of("unauthorized", "invalid_token"));
		}
		List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
		Content body = operation.getRequestBody() == null ? null : operation.getRequestBody().getContent();
		if (!parameters.isEmpty() || body != null) {
			codes.addAll(List.of("bad_request", "invalid_parameter", "validation_failed"));
		}
		for (Parameter parameter : parameters) {
			if (parameter.getName().equals("limit")) {
				codes.add("invalid_limit");
			}
			if (parameter.getName().equals("cursor")) {
				codes.add("invalid_cursor");
			}
		}
		if (body != null) {
			codes.addAll(List.of("payload_too_large", "unsupported_media_type"));
			if (body.containsKey("application/json")) {
				codes.add("malformed_body");
			}
			if (body.containsKey("multipart/form-data")) {
				codes.addAll(List.of("malformed_multipart", "part_header_too_large"));
			}
		}
		if (method != PathItem.HttpMethod.GET) {
			codes.addAll(List.of("conflict", "outcome_unknown"));
		}
		Map<Integer, List<String>> byStatus = new TreeMap<>();
		for (String code : codes) {
			ProblemCatalog.statuses(code)
				.forEach(status -> byStatus.computeIfAbsent(status.value(), s -> new ArrayList<>()).add(code));
		}
		byStatus.forEach((status, list) -> {
			Schema<?> schema = new Schema<>().allOf(List.of(new Schema<>().$ref("#/components/schemas/Problem"),
					new ObjectSchema().addProperty("code", new StringSchema()._enum(list))));
			operation.getResponses().addApiResponse(String.valueOf(status), new ApiResponse()
				.description(HttpStatus.valueOf(status).getReasonPhrase() + ": " + String.join(", ", list))
				.content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(schema))));
		});
	}

	/** Unknown fields are refused (fail-on-unknown-properties), so what a request may send is closed. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void close(Schema schema, Map<String, Schema> schemas, Set<String> closed) {
		if (schema == null) {
			return;
		}
		if (schema.get$ref() != null) {
			String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
			if (closed.add(name)) {
				close(schemas.get(name), schemas, closed);
			}
			return;
		}
		if (schema.getProperties() != null) {
			if (schema.getAdditionalProperties() == null) {
				schema.setAdditionalProperties(false);
			}
			((Map<String, Schema>) schema.getProperties()).values().forEach(p -> close(p, schemas, closed));
		}
		if (schema.getAdditionalProperties() instanceof Schema values) {
			close(values, schemas, closed);
		}
		close(schema.getItems(), schemas, closed);
		for (List<Schema> group : new List[] { schema.getAllOf(), schema.getAnyOf(), schema.getOneOf() }) {
			if (group != null) {
				group.forEach(s -> close(s, schemas, closed));
			}
		}
	}

}
