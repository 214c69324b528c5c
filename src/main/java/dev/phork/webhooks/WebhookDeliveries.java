package dev.phork.webhooks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The outbox and its deliveries: one row per attempt; the pending rows are the dispatchers' queue. */
@Repository
class WebhookDeliveries {

	private static final String VIEW = """
			SELECT d.id, d.event_id, e.type, d.attempt, d.status, d.response_status, d.duration_ms, d.error,
			       d.created_at, d.attempted_at, d.next_attempt_at
			FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id""";

	private final JdbcClient jdbc;

	WebhookDeliveries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** An event for the outbox: its body is the exact JSON that will be signed and sent. */
	record NewEvent(UUID id, UUID workspaceId, String type, String body) {
	}

	/**
	 * Writes the events that some enabled endpoint of their workspace subscribes to, and a first
	 * pending delivery for each such endpoint, in one statement for the whole batch; events nobody
	 * subscribes to are not stored. Answers how many deliveries it queued.
	 */
	int fanOut(List<NewEvent> events, Duration firstDelay) {
		return jdbc.sql("""
				WITH stored AS (
				    INSERT INTO webhook_events (id, workspace_id, type, body)
				    SELECT t.id, t.workspace, t.type, t.body
				    FROM unnest(CAST(:ids AS uuid[]), CAST(:workspaces AS uuid[]), CAST(:types AS text[]),
				                CAST(:bodies AS text[])) AS t(id, workspace, type, body)
				    WHERE EXISTS (SELECT 1 FROM webhook_endpoints w
				                  WHERE w.workspace_id = t.workspace AND w.enabled
				                    AND (t.type = ANY(w.events) OR '*' = ANY(w.events)))
				    RETURNING id, workspace_id, type
				)
				INSERT INTO webhook_deliveries (id, event_id, endpoint_id, attempt, next_attempt_at)
				SELECT phork_uuid_v7(), s.id, w.id, 1, now() + make_interval(secs => :delay)
				FROM stored s JOIN webhook_endpoints w
				  ON w.workspace_id = s.workspace_id AND w.enabled AND (s.type = ANY(w.events) OR '*' = ANY(w.events))""")
			.param("ids", events.stream().map(NewEvent::id).toArray(UUID[]::new))
			.param("workspaces", events.stream().map(NewEvent::workspaceId).toArray(UUID[]::new))
			.param("types", events.stream().map(NewEvent::type).toArray(String[]::new))
			.param("bodies", events.stream().map(NewEvent::body).toArray(String[]::new))
			.param("delay", seconds(firstDelay))
			.update();
	}

	/** Stores an event meant for one endpoint only (a test) and queues its first attempt now. */
	DeliveryView sendTo(NewEvent event, UUID endpointId, UUID deliveryId) {
		storeEvent(event);
		return insert(deliveryId, event.id(), endpointId, 1, Duration.ZERO);
	}

	/**
	 * Stores a notice for the owner (an endpoint was disabled) as a delivery row that is never sent:
	 * attempt 0, given up, the reason as its error.
	 */
	void notice(NewEvent event, UUID endpointId, UUID deliveryId, String reason) {
		storeEvent(event);
		jdbc.sql("""
				INSERT INTO webhook_deliveries (id, event_id, endpoint_id, attempt, status, error)
				VALUES (:id, :event, :endpoint, 0, 'gave_up', :reason)""")
			.param("id", deliveryId)
			.param("event", event.id())
			.param("endpoint", endpointId)
			.param("reason", reason)
			.update();
	}

	private void storeEvent(NewEvent event) {
		jdbc.sql("INSERT INTO webhook_events (id, workspace_id, type, body) VALUES (:id, :workspace, :type, :body)")
			.param("id", event.id())
			.param("workspace", event.workspaceId())
			.param("type", event.type())
			.param("body", event.body())
			.update();
	}

	/** Queues an attempt of an event to an endpoint after {@code delay}. */
	DeliveryView insert(UUID id, UUID eventId, UUID endpointId, int attempt, Duration delay) {
		jdbc.sql("""
				INSERT INTO webhook_deliveries (id, event_id, endpoint_id, attempt, next_attempt_at)
				VALUES (:id, :event, :endpoint, :attempt, now() + make_interval(secs => :delay))""")
			.param("id", id)
			.param("event", eventId)
			.param("endpoint", endpointId)
			.param("attempt", attempt)
			.param("delay", seconds(delay))
			.update();
		return find(endpointId, id).orElseThrow();
	}

	/** A delivery claimed for sending, with what it takes to send it. */
	record Claimed(UUID id, UUID eventId, UUID endpointId, int attempt, String url, String body, List<String> secrets) {
	}

	/**
	 * Claims up to {@code limit} due deliveries of enabled endpoints for {@code owner}: SKIP LOCKED
	 * lets any number of dispatchers claim side by side without taking the same row, and pushing
	 * {@code next_attempt_at} past the lease makes the row due again by itself if this dispatcher
	 * dies before it records the result. One statement, so no transaction is held while sending.
	 */
	List<Claimed> claim(int limit, String owner, Duration lease) {
		return jdbc.sql("""
				WITH due AS (
				    SELECT d.id FROM webhook_deliveries d
				    WHERE d.status = 'pending' AND d.next_attempt_at <= now()
				      AND EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.id = d.endpoint_id AND w.enabled)
				    ORDER BY d.next_attempt_at
				    LIMIT :limit
				    FOR UPDATE SKIP LOCKED
				), claimed AS (
				    UPDATE webhook_deliveries d
				    SET lease_owner = :owner, next_attempt_at = now() + make_interval(secs => :lease)
				    FROM due WHERE d.id = due.id
				    RETURNING d.id, d.event_id, d.endpoint_id, d.attempt
				)
				SELECT c.id, c.event_id, c.endpoint_id, c.attempt, w.url, e.body, w.secret,
				       CASE WHEN w.previous_expires_at > now() THEN w.previous_secret END AS previous_secret
				FROM claimed c
				JOIN webhook_events e ON e.id = c.event_id
				JOIN webhook_endpoints w ON w.id = c.endpoint_id""")
			.param("limit", limit)
			.param("owner", owner)
			.param("lease", seconds(lease))
			.query((rs, n) -> {
				List<String> secrets = new ArrayList<>(2);
				secrets.add(rs.getString("secret"));
				if (rs.getString("previous_secret") != null) {
					secrets.add(rs.getString("previous_secret"));
				}
				return new Claimed(rs.getObject("id", UUID.class), rs.getObject("event_id", UUID.class),
						rs.getObject("endpoint_id", UUID.class), rs.getInt("attempt"), rs.getString("url"),
						rs.getString("body"), List.copyOf(secrets));
			})
			.list();
	}

	/** Marks successful attempts still held by {@code owner}, in one statement; answers their endpoints. */
	List<UUID> succeeded(List<UUID> ids, List<Integer> statuses, List<Integer> durations, String owner) {
		return jdbc.sql("""
				UPDATE webhook_deliveries d
				SET status = 'succeeded', response_status = t.status, duration_ms = t.duration, attempted_at = now(),
				    next_attempt_at = NULL, lease_owner = NULL
				FROM unnest(CAST(:ids AS uuid[]), CAST(:statuses AS integer[]), CAST(:durations AS integer[]))
				     AS t(id, status, duration)
				WHERE d.id = t.id AND d.status = 'pending' AND d.lease_owner = :owner
				RETURNING d.endpoint_id""")
			.param("ids", ids.toArray(UUID[]::new))
			.param("statuses", statuses.toArray(Integer[]::new))
			.param("durations", durations.toArray(Integer[]::new))
			.param("owner", owner)
			.query(UUID.class)
			.list();
	}

	/**
	 * Records a failed attempt still held by {@code owner} as {@code failed} (another follows) or
	 * {@code gave_up}; answers false when the row is no longer this dispatcher's to record.
	 */
	boolean failed(UUID id, String owner, String status, @Nullable Integer responseStatus, int durationMs, String error) {
		return jdbc.sql("""
				UPDATE webhook_deliveries
				SET status = :status, response_status = :response, duration_ms = :duration, error = :error,
				    attempted_at = now(), next_attempt_at = NULL, lease_owner = NULL
				WHERE id = :id AND status = 'pending' AND lease_owner = :owner""")
			.param("id", id)
			.param("owner", owner)
			.param("status", status)
			.param("response", responseStatus)
			.param("duration", durationMs)
			.param("error", error)
			.update() == 1;
	}

	/** Gives up every attempt still waiting for a disabled endpoint (in flight ones included). */
	void giveUpPending(UUID endpointId, String reason) {
		jdbc.sql("""
				UPDATE webhook_deliveries SET status = 'gave_up', error = :reason, next_attempt_at = NULL, lease_owner = NULL
				WHERE endpoint_id = :endpoint AND status = 'pending'""")
			.param("endpoint", endpointId)
			.param("reason", reason)
			.update();
	}

	/**
	 * Makes the waiting attempt of an event to an endpoint due now, unless a dispatcher is sending it
	 * already; answers it, or nothing if none is waiting.
	 */
	Optional<DeliveryView> hurryPending(UUID eventId, UUID endpointId) {
		return jdbc.sql("""
				UPDATE webhook_deliveries
				SET next_attempt_at = CASE WHEN lease_owner IS NULL THEN least(next_attempt_at, now()) ELSE next_attempt_at END
				WHERE event_id = :event AND endpoint_id = :endpoint AND status = 'pending'
				RETURNING id""")
			.param("event", eventId)
			.param("endpoint", endpointId)
			.query(UUID.class)
			.optional()
			.flatMap(id -> find(endpointId, id));
	}

	/** The highest attempt number of an event to an endpoint so far. */
	int lastAttempt(UUID eventId, UUID endpointId) {
		return jdbc.sql("SELECT coalesce(max(attempt), 0) FROM webhook_deliveries WHERE event_id = :event AND endpoint_id = :endpoint")
			.param("event", eventId)
			.param("endpoint", endpointId)
			.query(Integer.class)
			.single();
	}

	Optional<DeliveryView> find(UUID endpointId, UUID id) {
		return jdbc.sql(VIEW + " WHERE d.endpoint_id = :endpoint AND d.id = :id")
			.param("endpoint", endpointId)
			.param("id", id)
			.query(WebhookDeliveries::map)
			.optional();
	}

	/** An endpoint's deliveries, newest first. */
	List<DeliveryView> list(UUID endpointId, @Nullable UUID before, int limit) {
		return jdbc.sql(VIEW + """
				 WHERE d.endpoint_id = :endpoint AND (CAST(:before AS uuid) IS NULL OR d.id < :before)
				ORDER BY d.id DESC LIMIT :limit""")
			.param("endpoint", endpointId)
			.param("before", before)
			.param("limit", limit)
			.query(WebhookDeliveries::map)
			.list();
	}

	private static DeliveryView map(ResultSet rs, int row) throws SQLException {
		return new DeliveryView(rs.getObject("id", UUID.class), rs.getObject("event_id", UUID.class), rs.getString("type"),
				rs.getInt("attempt"), rs.getString("status"), rs.getObject("response_status", Integer.class),
				rs.getObject("duration_ms", Integer.class), rs.getString("error"), instant(rs, "created_at"),
				instant(rs, "attempted_at"), instant(rs, "next_attempt_at"));
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
		return time == null ? null : time.toInstant();
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

}
