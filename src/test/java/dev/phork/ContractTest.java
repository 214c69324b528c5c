package dev.phork;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document against the server: for every operation the document lists (so endpoints
 * added later are covered without touching this test), requests built from its parameters and
 * request schemas are sent to the running server, valid ones (with real ids and fresh ones, as the
 * owner and as a second user) and invalid ones (no token, a malformed, mistyped or unknown-field
 * body, a malformed id, a limit out of bounds). Every answer's status must be documented for the
 * operation and its body must validate against the documented schema (a problem's {@code code}
 * against the codes listed for that status); every operation must succeed for one valid request;
 * and the invalid ones must get the 400 or 401 they deserve.
 */
class ContractTest extends ApiTest {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final String PASSWORD = "correct horse battery";

	private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private final List<String> failures = new ArrayList<>();

	private JsonNode document;

	/** The document's schemas, their references made JSON Schema's own ({@code #/$defs/...}). */
	private JsonNode definitions;

	private static final String COMPONENTS = "#/components/schemas/";

	/** Where the contract's webhook endpoints point: a closed local port (ApiTest allows private and http URLs). */
	private static final String RECEIVER = "http://127.0.0.1:9/contract";

	private World world;

	@Test
	void everyOperationAnswersAsDocumented() {
		document = json.readTree(get("/v3/api-docs"));
		definitions = json.readTree(document.get("components").get("schemas").toString().replace(COMPONENTS, "#/$defs/"));
		world = new World();
		List<Operation> operations = operations();
		assertThat(operations).hasSizeGreaterThan(50);
		Set<String> neverSucceeded = new TreeSet<>();
		for (Operation operation : operations) {
			Map<String, Object> fresh = new HashMap<>();
			TestUser second = register("Second");
			fresh.put("invitee", second);
			boolean succeeded = false;
			StringBuilder answers = new StringBuilder();
			for (Variant variant : List.of(new Variant(Known.NOTHING, null), new Variant(Known.EVERYTHING, null),
					new Variant(Known.IDS, null), new Variant(Known.EVERYTHING, second),
					new Variant(Known.EVERYTHING, null, true))) {
				Sent sent = send(operation, variant, fresh, Mutation.NONE);
				succeeded |= sent.status() / 100 == 2;
				answers.append("\n  ").append(sent.what()).append(" -> ").append(sent.status()).append(' ').append(sent.body());
			}
			if (!succeeded) {
				neverSucceeded.add(operation.id() + answers);
			}
			invalid(operation, fresh);
			world.signIn();
		}
		assertThat(failures).isEmpty();
		assertThat(neverSucceeded).as("operations no valid request succeeded for").isEmpty();
	}

	/** The document; generous with time, since building it on a loaded machine can take a while. */
	private String get(String path) {
		try {
			HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
				.timeout(Duration.ofMinutes(3))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			return response.body();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The document's operations, those that delete last, so what they remove is not needed after them. */
	private List<Operation> operations() {
		List<Operation> operations = new ArrayList<>();
		document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(
				method -> operations.add(new Operation(path.getKey(), method.getKey().toUpperCase(), method.getValue()))));
		operations.sort(Comparator.comparing((Operation o) -> o.method().equals("DELETE")).thenComparing(Operation::id));
		return operations;
	}

	private void invalid(Operation operation, Map<String, Object> fresh) {
		Variant owner = new Variant(Known.EVERYTHING, null);
		if (operation.secured()) {
			expect(operation, send(operation, owner, fresh, Mutation.NO_TOKEN), 401);
		}
		if (operation.jsonBody() != null) {
			world.signIn();
			expect(operation, send(operation, owner, fresh, Mutation.MALFORMED_BODY), 400);
			expect(operation, send(operation, owner, fresh, Mutation.UNKNOWN_FIELD), 400);
			if (required(resolve(operation.jsonBody())).iterator().hasNext()) {
				expect(operation, send(operation, owner, fresh, Mutation.WRONG_TYPE), 400);
			}
		}
		for (JsonNode parameter : operation.parameters()) {
			if (parameter.path("schema").path("format").asString("").equals("uuid")
					&& parameter.path("in").asString().equals("path")) {
				expect(operation, send(operation, owner, fresh, Mutation.MALFORMED_ID), 400);
				break;
			}
		}
		if (operation.parameters().stream().anyMatch(p -> p.path("name").asString().equals("limit"))) {
			expect(operation, send(operation, owner, fresh, Mutation.LIMIT_OUT_OF_BOUNDS), 400);
		}
	}

	private void expect(Operation operation, Sent sent, int status) {
		if (sent.status() != status) {
			failures.add(operation.id() + " " + sent.what() + ": expected " + status + ", got " + sent.status() + " "
					+ sent.body());
		}
	}

	// ---------------------------------------------------------------- requests

	private enum Mutation {
		NONE, NO_TOKEN, MALFORMED_BODY, UNKNOWN_FIELD, WRONG_TYPE, MALFORMED_ID, LIMIT_OUT_OF_BOUNDS
	}

	/** Real ids and credentials, real ids with new credentials (an email no one has), or made-up ones. */
	private enum Known {
		NOTHING, IDS, EVERYTHING
	}

	/** What the request's values are, and the caller: the owner, or (not null) another user. */
	/** {@code oneOptional}: also send the first optional query parameter the world has a value for. */
	private record Variant(Known known, @Nullable TestUser caller, boolean oneOptional) {

		Variant(Known known, @Nullable TestUser caller) {
			this(known, caller, false);
		}

	}

	private record Sent(int status, String body, String what) {
	}

	private Sent send(Operation operation, Variant variant, Map<String, Object> fresh, Mutation mutation) {
		Values values = new Values(operation, variant.known(), fresh);
		String path = operation.path();
		List<String> query = new ArrayList<>();
		boolean optionalSent = false;
		for (JsonNode parameter : operation.parameters()) {
			String name = parameter.get("name").asString();
			String in = parameter.get("in").asString();
			if (in.equals("path")) {
				String value = mutation == Mutation.MALFORMED_ID ? "not-an-id" : text(values.value(name, parameter.get("schema")));
				path = path.replace("{" + name + "}", URLEncoder.encode(value, StandardCharsets.UTF_8));
			}
			else if (in.equals("query") && name.equals("limit") && mutation == Mutation.LIMIT_OUT_OF_BOUNDS) {
				query.add("limit=0");
			}
			else if (in.equals("query") && parameter.path("required").asBoolean(false)) {
				query.add(name + "=" + URLEncoder.encode(text(values.value(name, parameter.get("schema"))), StandardCharsets.UTF_8));
			}
			else if (in.equals("query") && variant.oneOptional() && !optionalSent && !name.equals("limit")
					&& !name.equals("cursor") && world.known(name, operation, fresh) != null) {
				query.add(name + "=" + URLEncoder.encode(text(values.value(name, parameter.get("schema"))), StandardCharsets.UTF_8));
				optionalSent = true;
			}
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path
				+ (query.isEmpty() ? "" : "?" + String.join("&", query))))
			.timeout(Duration.ofSeconds(60))
			.header("Accept", String.join(", ", operation.successMedia()) + ", application/problem+json");
		if (operation.secured() && mutation != Mutation.NO_TOKEN) {
			request.header("Authorization", "Bearer " + (variant.caller() != null ? variant.caller().token() : world.token));
		}
		HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
		JsonNode jsonBody = operation.jsonBody();
		JsonNode multipart = operation.body("multipart/form-data");
		if (jsonBody != null && (operation.bodyRequired() || mutation != Mutation.NONE)) {
			String text = switch (mutation) {
				case MALFORMED_BODY -> "{\"unterminated\": ";
				case UNKNOWN_FIELD -> ((ObjectNode) values.generate("body", jsonBody)).put("zzUnknownField", 1).toString();
				case WRONG_TYPE -> wrongType(values, jsonBody).toString();
				default -> values.generate("body", jsonBody).toString();
			};
			request.header("Content-Type", "application/json");
			body = HttpRequest.BodyPublishers.ofString(text);
		}
		else if (multipart != null) {
			String boundary = "contract" + UUID.randomUUID().toString().replace("-", "");
			request.header("Content-Type", "multipart/form-data; boundary=" + boundary);
			body = HttpRequest.BodyPublishers.ofByteArray(multipart(values, resolve(multipart), boundary));
		}
		request.method(operation.method(), body);
		String what = operation.method() + " " + path + (query.isEmpty() ? "" : "?" + String.join("&", query)) + " ["
				+ mutation + ", known " + variant.known() + (variant.caller() != null ? ", second user" : "") + "]";
		try {
			HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
			check(operation, response, what);
			return new Sent(response.statusCode(), response.body(), what);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(what, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode wrongType(Values values, JsonNode schema) {
		ObjectNode body = (ObjectNode) values.generate("body", schema);
		String name = required(resolve(schema)).iterator().next();
		JsonNode property = resolve(resolve(schema).get("properties").get(name));
		String type = type(property);
		body.set(name, switch (type) {
			case "string" -> NODES.objectNode().put("not", "a string");
			case "object" -> NODES.numberNode(12);
			case "array" -> NODES.objectNode().put("not", "an array");
			default -> NODES.stringNode("not a " + type);
		});
		return body;
	}

	private byte[] multipart(Values values, JsonNode schema, String boundary) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (String name : required(schema)) {
			JsonNode property = resolve(schema.get("properties").get(name));
			out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8));
			if (property.path("format").asString("").equals("binary")) {
				out.writeBytes(("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"picture.png\"\r\n"
						+ "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
				out.writeBytes(picture());
			}
			else {
				out.writeBytes(("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
						+ text(values.value(name, property))).getBytes(StandardCharsets.UTF_8));
			}
			out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
		}
		out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

	/** A real picture (decodable, unlike a bare header), which reference analysis needs. */
	private static byte[] picture() {
		java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
		java.awt.Graphics2D g = image.createGraphics();
		g.setColor(java.awt.Color.ORANGE);
		g.fillOval(8, 8, 48, 48);
		g.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			javax.imageio.ImageIO.write(image, "png", out);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		return out.toByteArray();
	}

	// ---------------------------------------------------------------- responses

	/** The answer's status is documented for the operation, and its body is what the document says. */
	private void check(Operation operation, HttpResponse<String> response, String what) {
		JsonNode documented = operation.node().get("responses").get(String.valueOf(response.statusCode()));
		if (documented == null) {
			failures.add(operation.id() + " " + what + ": status " + response.statusCode() + " is not documented: "
					+ response.body());
			return;
		}
		String contentType = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
		if (response.body().isEmpty()) {
			if (documented.has("content") && response.statusCode() != 304) {
				failures.add(operation.id() + " " + what + ": empty body, documented " + documented.get("content").propertyNames());
			}
			return;
		}
		JsonNode media = documented.path("content").get(contentType);
		if (media == null) {
			failures.add(operation.id() + " " + what + ": " + response.statusCode() + " answered " + contentType
					+ ", documented " + documented.path("content").propertyNames());
			return;
		}
		if (contentType.equals("text/event-stream")) {
			for (String line : response.body().split("\n")) {
				if (line.startsWith("data:")) {
					validate(operation, what, media.get("x-event-data"), line.substring(5).trim());
				}
			}
		}
		else if (contentType.endsWith("json")) {
			validate(operation, what, media.get("schema"), response.body());
		}
	}

	private void validate(Operation operation, String what, @Nullable JsonNode schema, String body) {
		if (schema == null) {
			failures.add(operation.id() + " " + what + ": no schema documented");
			return;
		}
		ObjectNode root = NODES.objectNode();
		root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
		root.set("$defs", definitions);
		root.set("allOf", NODES.arrayNode().add(json.readTree(schema.toString().replace(COMPONENTS, "#/$defs/"))));
		List<Error> errors = registry.getSchema(root).validate(json.readTree(body));
		if (!errors.isEmpty()) {
			failures.add(operation.id() + " " + what + ": body does not match the schema: " + errors + " in " + body);
		}
	}

	// ---------------------------------------------------------------- the document

	private record Operation(String path, String method, JsonNode node) {

		String id() {
			return node.path("operationId").asString(method + " " + path);
		}

		List<JsonNode> parameters() {
			List<JsonNode> parameters = new ArrayList<>();
			node.path("parameters").forEach(parameters::add);
			return parameters;
		}

		boolean secured() {
			return !node.has("security") || !node.get("security").isEmpty();
		}

		Set<String> successMedia() {
			Set<String> media = new TreeSet<>();
			node.get("responses").properties().forEach(response -> {
				if (response.getKey().startsWith("2")) {
					media.addAll(response.getValue().path("content").propertyNames());
				}
			});
			return media.isEmpty() ? Set.of("application/json") : media;
		}

		@Nullable JsonNode body(String mediaType) {
			JsonNode media = node.path("requestBody").path("content").get(mediaType);
			return media == null ? null : media.get("schema");
		}

		@Nullable JsonNode jsonBody() {
			return body("application/json");
		}

		boolean bodyRequired() {
			return node.path("requestBody").path("required").asBoolean(false);
		}

	}

	private JsonNode resolve(JsonNode schema) {
		JsonNode current = schema;
		while (current.has("$ref")) {
			String ref = current.get("$ref").asString();
			current = document.at(ref.substring(1));
		}
		return current;
	}

	private static Iterable<String> required(JsonNode schema) {
		List<String> names = new ArrayList<>();
		schema.path("required").forEach(n -> names.add(n.asString()));
		return names;
	}

	private static String type(JsonNode schema) {
		JsonNode type = schema.path("type");
		if (type.isArray()) {
			for (JsonNode t : type) {
				if (!t.asString().equals("null")) {
					return t.asString();
				}
			}
		}
		return type.asString("object");
	}

	private static String text(JsonNode value) {
		return value.isString() ? value.asString() : value.toString();
	}

	// ---------------------------------------------------------------- values

	/**
	 * Values for the fields and parameters of one request, by name: real ids and credentials of the
	 * world when known, made-up ones (the same throughout one operation) otherwise, and values made
	 * from the schema (its example, enum, bounds) for everything else.
	 */
	private final class Values {

		private final Operation operation;

		private final Known known;

		private final Map<String, Object> fresh;

		Values(Operation operation, Known known, Map<String, Object> fresh) {
			this.operation = operation;
			this.known = known;
			this.fresh = fresh;
		}

		JsonNode value(String name, JsonNode schema) {
			JsonNode resolved = resolve(schema);
			Object value = switch (known) {
				case NOTHING -> freshValue(name, resolved);
				case IDS -> credential(name) ? freshValue(name, resolved) : world.known(name, operation, fresh);
				case EVERYTHING -> world.known(name, operation, fresh);
			};
			if (value != null) {
				return value instanceof JsonNode node ? node : NODES.stringNode(value.toString());
			}
			return generate(name, resolved);
		}

		private static boolean credential(String name) {
			return name.equals("email") || name.toLowerCase().contains("password");
		}

		private @Nullable Object freshValue(String name, JsonNode schema) {
			if (name.equals("email")) {
				return fresh.computeIfAbsent(name, n -> "fresh" + UUID.randomUUID().toString().replace("-", "") + "@example.com");
			}
			if (name.toLowerCase().contains("password")) {
				return fresh.computeIfAbsent(name, n -> "Fresh" + UUID.randomUUID().toString().replace("-", ""));
			}
			if (schema.path("format").asString("").equals("uuid") || name.equals("id")) {
				return fresh.computeIfAbsent(name, n -> UUID.randomUUID());
			}
			return null;
		}

		JsonNode generate(String name, JsonNode schema) {
			JsonNode resolved = resolve(schema);
			if (resolved.has("example")) {
				JsonNode example = resolved.get("example");
				return example.isString() && type(resolved).equals("object") ? json.readTree(example.asString()) : example;
			}
			if (resolved.has("anyOf")) {
				return generate(name, resolved.get("anyOf").get(0));
			}
			if (resolved.has("allOf")) {
				return generate(name, resolved.get("allOf").get(0));
			}
			if (resolved.has("enum")) {
				return resolved.get("enum").get(0);
			}
			return switch (type(resolved)) {
				case "object" -> {
					ObjectNode object = NODES.objectNode();
					for (String property : required(resolved)) {
						object.set(property, value(property, resolved.get("properties").get(property)));
					}
					yield object;
				}
				case "array" -> {
					ArrayNode array = NODES.arrayNode();
					for (int i = 0; i < resolved.path("minItems").asInt(0); i++) {
						array.add(value(name + "[]", resolved.get("items")));
					}
					yield array;
				}
				case "integer", "number" -> NODES.numberNode(resolved.has("minimum") ? resolved.get("minimum").asLong() : 1);
				case "boolean" -> NODES.booleanNode(false);
				default -> {
					if (resolved.path("format").asString("").equals("uuid")) {
						yield NODES.stringNode(UUID.randomUUID().toString());
					}
					if (resolved.path("format").asString("").equals("date-time")) {
						yield NODES.stringNode(java.time.Instant.now().plusSeconds(86_400).toString());
					}
					String text = "rain on neon";
					int min = resolved.path("minLength").asInt(0);
					yield NODES.stringNode(text.length() >= min ? text : text + "x".repeat(min - text.length()));
				}
			};
		}

	}

	// ---------------------------------------------------------------- the world

	/**
	 * What the valid requests refer to: an owner with a workspace, a public project generated by a
	 * real pipeline (so its head has keyframes, clips, audio and a render), a finished job, an
	 * upload and a prompt; and, made for each operation that asks, a fork of the project (for
	 * operations that may change it), a pending invitation (to the operation's second user), a
	 * member and an API key.
	 */
	private final class World {

		final TestUser owner = register("Owner");

		final UUID project = createProject(owner, "Contract", "public");

		final UUID pipeline;

		final UUID headCommit;

		final UUID firstCommit;

		final UUID clip;

		final UUID image;

		final UUID job;

		final UUID upload;

		final UUID prompt;

		final Map<String, String> signed = new HashMap<>();

		World() {
			firstCommit = http.get("/projects/" + project + "/commits", owner.token()).json().get("items").get(0).get("id")
				.asString().transform(UUID::fromString);
			pipeline = http.post("/projects/" + project + "/generate", owner.token(),
					"{\"logline\":\"A lighthouse keeper finds a message in a bottle.\",\"sceneCount\":1}")
				.assertStatus(202).uuid("pipelineId");
			JsonNode done = awaitPipeline(owner, pipeline);
			assertThat(done.get("status").asString()).isEqualTo("succeeded");
			headCommit = UUID.fromString(done.get("commitId").asString());
			JsonNode scene = http.get("/projects/" + project + "/commits/" + headCommit, owner.token()).assertStatus(200)
				.json().get("timeline").get("scenes").get(0);
			clip = UUID.fromString(scene.get("videoAssetId").asString());
			job = submit(owner, "gen-image", "{\"workspaceId\":\"" + owner.workspaceId()
					+ "\",\"prompt\":\"a lighthouse\",\"provider\":\"solid\"}").assertStatus(201).uuid("id");
			image = UUID.fromString(awaitJob(owner, job).get("resultAssetId").asString());
			upload = http.upload(owner.token(), owner.workspaceId(), "reference.png", picture())
				.assertStatus(201).uuid("id");
			prompt = http.post("/prompts", owner.token(), "{\"workspaceId\":\"" + owner.workspaceId()
					+ "\",\"title\":\"Noir\",\"body\":\"Rain on neon.\",\"visibility\":\"public\"}").assertStatus(201).uuid("id");
			String url = http.get("/assets/" + clip, owner.token()).json().get("url").asString();
			for (String pair : URI.create(url).getRawQuery().split("&")) {
				String[] kv = pair.split("=", 2);
				signed.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
			}
		}

		String token = owner.token();

		/** A new sign-in token after an operation that may have revoked the last one (logout, password change). */
		void signIn() {
			token = http.post("/auth/login", null, "{\"email\":\"" + owner.email() + "\",\"password\":\"" + PASSWORD + "\"}")
				.assertStatus(200).json().get("token").asString();
		}

		@Nullable Object known(String name, Operation operation, Map<String, Object> made) {
			String[] segments = operation.path().split("/");
			return switch (name) {
				case "id" -> switch (segments[1] + (segments.length > 2 && segments[1].equals("auth") ? "/" + segments[2] : "")) {
					case "auth/api-keys" -> made.computeIfAbsent("apiKey", n -> http.post("/auth/api-keys", token,
							"{\"name\":\"contract\"}").assertStatus(201).uuid("id"));
					case "workspaces" -> owner.workspaceId();
					case "invitations" -> invitation(made);
					case "projects" -> projectFor(operation, made);
					case "jobs" -> job;
					case "assets" -> clip;
					case "pipelines" -> pipeline;
					case "prompts" -> prompt;
					case "merge-requests" -> mergeRequest(made);
					default -> null;
				};
				case "workspaceId" -> owner.workspaceId();
				case "projectId" -> projectFor(operation, made);
				case "commitId" -> operation.id().equals("cherryPickCommit") ? sourceCommit(made) : headCommit;
				case "to" -> headCommit;
				case "sourceProjectId" -> source(made);
				case "targetProjectId" -> project;
				case "webhookId" -> webhook(made);
				case "deliveryId" -> delivery(made);
				case "url" -> operation.path().contains("/webhooks") ? RECEIVER : null;
				case "events[]" -> "*";
				case "name" -> operation.path().contains("/tags") ? tag(operation, made) : null;
				case "from" -> firstCommit;
				case "assetId", "videoAssetId" -> clip;
				case "imageAssetId", "keyframeAssetId" -> image;
				case "assetIds[]" -> upload;
				case "invitationId" -> invitation(made);
				case "userId" -> made.computeIfAbsent("member", n -> {
					TestUser member = register("Member");
					addMember(ownerWithToken(), owner.workspaceId(), member, "editor");
					return member.userId();
				});
				case "email" -> owner.email();
				case "password", "currentPassword", "newPassword" -> PASSWORD;
				case "w", "expires", "sig" -> signed.get(name);
				default -> null;
			};
		}

		/**
		 * The world's project for reading; for anything that may change it, a fork of it (O(1), with
		 * the same head), so that no operation changes what the others find.
		 */
		private Object projectFor(Operation operation, Map<String, Object> made) {
			return operation.method().equals("GET") ? project
					: made.computeIfAbsent("fork", n -> fork(ownerWithToken(), project));
		}

		/** A fork of the project with one commit of its own (scene 1's prompt changed): something to merge or pick. */
		private Object source(Map<String, Object> made) {
			if (!made.containsKey("source")) {
				UUID fork = fork(ownerWithToken(), project);
				ObjectNode timeline = (ObjectNode) http.get("/projects/" + fork + "/commits/" + headCommit, token)
					.assertStatus(200).json().get("timeline");
				((ObjectNode) timeline.get("scenes").get(0)).put("prompt", "the keeper reads the message aloud");
				ObjectNode commit = NODES.objectNode().put("message", "a change to merge");
				commit.set("timeline", timeline);
				made.put("sourceCommit", http.post("/projects/" + fork + "/commits", token, commit.toString())
					.assertStatus(201).uuid("id"));
				made.put("source", fork);
			}
			return made.get("source");
		}

		private Object sourceCommit(Map<String, Object> made) {
			source(made);
			return made.get("sourceCommit");
		}

		/** A merge request from {@link #source} into this operation's fork of the project. */
		private Object mergeRequest(Map<String, Object> made) {
			if (!made.containsKey("mergeRequest")) {
				Object source = source(made);
				Object target = made.computeIfAbsent("fork", f -> fork(ownerWithToken(), project));
				made.put("mergeRequest", http.post("/projects/" + target + "/merge-requests", token,
						"{\"sourceProjectId\":\"" + source + "\",\"title\":\"Contract\"}").assertStatus(201).uuid("id"));
			}
			return made.get("mergeRequest");
		}

		/** An endpoint of the owner's workspace aimed at nothing that answers (deliveries fail, which is fine here). */
		private Object webhook(Map<String, Object> made) {
			return made.computeIfAbsent("webhook", n -> http.post("/workspaces/" + owner.workspaceId() + "/webhooks", token,
					"{\"url\":\"" + RECEIVER + "\",\"events\":[\"*\"]}").assertStatus(201).uuid("id"));
		}

		private Object delivery(Map<String, Object> made) {
			if (!made.containsKey("delivery")) {
				Object webhook = webhook(made);
				made.put("delivery", http.post("/workspaces/" + owner.workspaceId() + "/webhooks/" + webhook + "/test", token,
						null).assertStatus(202).uuid("id"));
			}
			return made.get("delivery");
		}

		/** The name of a new tag; for deleting one, a tag made first on this operation's fork. */
		private Object tag(Operation operation, Map<String, Object> made) {
			if (operation.method().equals("DELETE") && !made.containsKey("tag")) {
				Object fork = projectFor(operation, made);
				http.post("/projects/" + fork + "/tags", token, "{\"name\":\"contract\",\"commitId\":\"" + headCommit + "\"}")
					.assertStatus(201);
				made.put("tag", fork);
			}
			return "contract";
		}

		private Object invitation(Map<String, Object> made) {
			return made.computeIfAbsent("invitation", n -> {
				TestUser invitee = (TestUser) made.get("invitee");
				return invite(ownerWithToken(), owner.workspaceId(), invitee.email(), "viewer");
			});
		}

		private TestUser ownerWithToken() {
			return new TestUser(token, owner.userId(), owner.workspaceId(), owner.email());
		}

	}

}
