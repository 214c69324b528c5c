package dev.phork.common;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * Every problem {@code code} the server answers with, and its status: the one list that the OpenAPI
 * document, docs/api.md's "Error codes" table and the tests check against. A new code gets a line
 * here and a row there.
 */
public final class ProblemCatalog {

	private static final Map<String, Set<HttpStatus>> CODES = new LinkedHashMap<>();

	static {
		add(HttpStatus.BAD_REQUEST, "bad_request", "validation_failed", "malformed_body", "invalid_parameter",
				"invalid_limit", "invalid_cursor", "invalid_idempotency_key", "idempotency_key_conflict",
				"invalid_asset_reference", "invalid_role", "password_too_common", "expiry_in_past", "unknown_provider",
				"no_provider", "client_scene_id", "duplicate_scene_id", "unknown_scene_id", "duplicate_tag",
				"tag_kind_mismatch", "unknown_tag", "empty_upload", "invalid_query", "repeated_parameter",
				"malformed_multipart", "part_header_too_large", "rejected_request", "wrong_asset_kind",
				"invalid_webhook_url", "unknown_event_type", "invalid_resolution", "unknown_resolution", "invalid_tag_name");
		add(HttpStatus.UNAUTHORIZED, "unauthorized", "invalid_token", "invalid_credentials");
		add(HttpStatus.PAYMENT_REQUIRED, "insufficient_credits");
		add(HttpStatus.FORBIDDEN, "forbidden", "insufficient_role", "visibility_exceeds_source", "sign_in_token_required",
				"wrong_password", "invalid_signature", "url_expired");
		add(HttpStatus.NOT_FOUND, "not_found", "api_key_not_found", "asset_not_found", "commit_not_found",
				"invitation_not_found", "job_not_found", "member_not_found", "pipeline_not_found", "project_not_found",
				"prompt_not_found", "workspace_not_found", "webhook_not_found", "delivery_not_found", "tag_not_found",
				"merge_request_not_found");
		add(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed");
		add(HttpStatus.NOT_ACCEPTABLE, "not_acceptable");
		add(HttpStatus.CONFLICT, "conflict", "email_taken", "already_member", "already_invited", "invitation_not_pending",
				"last_owner", "stale_parent", "webhook_disabled", "merge_conflict", "tag_exists",
				"merge_request_not_open");
		add(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large");
		add(HttpStatus.URI_TOO_LONG, "uri_too_long");
		add(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
		add(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range_not_satisfiable");
		add(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused", "prompt_blocked", "project_not_in_workspace",
				"not_an_image", "nothing_to_render", "render_too_long", "image_too_large", "unreadable_image",
				"unreadable_reference", "unsupported_upload_type", "no_registry", "edits_unsupported", "empty_storyboard",
				"invalid_order", "unknown_scene", "unknown_tag", "webhook_url_not_allowed", "nothing_to_merge",
				"no_shared_history", "same_project", "nothing_to_revert", "nothing_to_pick");
		add(HttpStatus.TOO_MANY_REQUESTS, "too_many_attempts", "too_many_registrations", "daily_quota_exceeded",
				"too_many_streams");
		add(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large");
		add(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error");
		add(HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable", "outcome_unknown");
	}

	private ProblemCatalog() {
	}

	private static void add(HttpStatus status, String... codes) {
		for (String code : codes) {
			CODES.computeIfAbsent(code, c -> new LinkedHashSet<>()).add(status);
		}
	}

	/** Every code with the statuses it is answered with (one, except {@code unknown_tag}: 400 and 422). */
	public static Map<String, Set<HttpStatus>> codes() {
		return Collections.unmodifiableMap(CODES);
	}

	/** The statuses of a code; an unknown code is a programming error, refused when the document is built. */
	public static Set<HttpStatus> statuses(String code) {
		Set<HttpStatus> statuses = CODES.get(code);
		if (statuses == null) {
			throw new IllegalArgumentException("Problem code " + code + " is not in ProblemCatalog");
		}
		return statuses;
	}

}
