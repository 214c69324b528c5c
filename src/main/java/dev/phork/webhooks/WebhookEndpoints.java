package dev.phork.webhooks;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class WebhookEndpoints {

	private static final String COLUMNS = """
			id, workspace_id, url, events, description, enabled, disabled_reason, created_at, updated_at""";

	private final JdbcClient jdbc;

	WebhookEndpoints(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	WebhookView insert(UUID id, UUID workspaceId, String url, List<String> events, @Nullable String description,
			String secret, UUID createdBy) {
		return jdbc.sql("""
				INSERT INTO webhook_endpoints (id, workspace_id, url, events, description, secret, created_by)
				VALUES (:id, :workspace, :url, :events, :description, :secret, :createdBy)
				RETURNING""" + " " + COLUMNS)
			.param("id", id)
			.param("workspace", workspaceId)
			.param("url", url)
			.param("events", events.toArray(String[]::new))
			.param("description", description)
			.param("secret", secret)
			.param("createdBy", createdBy)
			.query(WebhookEndpoints::map)
			.single();
	}

	Optional<WebhookView> find(UUID workspaceId, UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE workspace_id = :workspace AND id = :id")
			.param("workspace", workspaceId)
			.param("id", id)
			.query(WebhookEndpoints::map)
			.optional();
	}

	Optional<WebhookView> findForUpdate(UUID workspaceId, UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE workspace_id = :workspace AND id = :id FOR UPDATE")
			.param("workspace", workspaceId)
			.param("id", id)
			.query(WebhookEndpoints::map)
			.optional();
	}

	List<WebhookView> list(UUID workspaceId, @Nullable UUID before, int limit) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM webhook_endpoints
				WHERE workspace_id = :workspace AND (CAST(:before AS uuid) IS NULL OR id < :before)
				ORDER BY id DESC LIMIT :limit""")
			.param("workspace", workspaceId)
			.param("before", before)
			.param("limit", limit)
			.query(WebhookEndpoints::map)
			.list();
	}

	/**
	 * Applies a change; a re-enabled endpoint starts over (no reason, not failing). Answers the
	 * endpoint as it now is.
	 */
	WebhookView update(UUID id, String url, List<String> events, @Nullable String description, boolean enabled) {
		return jdbc.sql("""
				UPDATE webhook_endpoints
				SET url = :url, events = :events, description = :description, enabled = :enabled, updated_at = now(),
				    disabled_reason = CASE WHEN :enabled THEN NULL ELSE disabled_reason END,
				    failing_since = CASE WHEN :enabled AND NOT enabled THEN NULL ELSE failing_since END
				WHERE id = :id
				RETURNING""" + " " + COLUMNS)
			.param("id", id)
			.param("url", url)
			.param("events", events.toArray(String[]::new))
			.param("description", description)
			.param("enabled", enabled)
			.query(WebhookEndpoints::map)
			.single();
	}

	boolean delete(UUID workspaceId, UUID id) {
		return jdbc.sql("DELETE FROM webhook_endpoints WHERE workspace_id = :workspace AND id = :id")
			.param("workspace", workspaceId)
			.param("id", id)
			.update() == 1;
	}

	/** A new secret; the current one keeps signing beside it for {@code overlap}. */
	WebhookView rotate(UUID id, String secret, Duration overlap) {
		return jdbc.sql("""
				UPDATE webhook_endpoints
				SET previous_secret = secret, previous_expires_at = now() + make_interval(secs => :overlap),
				    secret = :secret, updated_at = now()
				WHERE id = :id
				RETURNING""" + " " + COLUMNS)
			.param("id", id)
			.param("secret", secret)
			.param("overlap", overlap.toSeconds())
			.query(WebhookEndpoints::map)
			.single();
	}

	/** Success clears an endpoint's failing streak. */
	void succeeded(List<UUID> ids) {
		jdbc.sql("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ANY(:ids) AND failing_since IS NOT NULL")
			.param("ids", ids.toArray(UUID[]::new))
			.update();
	}

	/**
	 * Records a failure; answers whether the endpoint has now failed for at least {@code disableAfter}
	 * (since its first failure after its last success).
	 */
	boolean failedFor(UUID id, Duration disableAfter) {
		return jdbc.sql("""
				UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now())
				WHERE id = :id
				RETURNING failing_since <= now() - make_interval(secs => :after)""")
			.param("id", id)
			.param("after", disableAfter.toSeconds())
			.query(Boolean.class)
			.optional()
			.orElse(false);
	}

	/** Disables an enabled endpoint; answers its workspace, or nothing if it was already disabled or is gone. */
	Optional<UUID> disable(UUID id, String reason) {
		return jdbc.sql("""
				UPDATE webhook_endpoints SET enabled = false, disabled_reason = :reason, updated_at = now()
				WHERE id = :id AND enabled
				RETURNING workspace_id""")
			.param("id", id)
			.param("reason", reason)
			.query(UUID.class)
			.optional();
	}

	private static WebhookView map(ResultSet rs, int row) throws SQLException {
		Array events = rs.getArray("events");
		return new WebhookView(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
				rs.getString("url"), List.of((String[]) events.getArray()), rs.getString("description"),
				rs.getBoolean("enabled"), rs.getString("disabled_reason"), null, instant(rs, "created_at"),
				instant(rs, "updated_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		return rs.getObject(column, OffsetDateTime.class).toInstant();
	}

}
