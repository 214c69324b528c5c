package dev.phork.webhooks;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One attempt (or, while {@code pending}, the next attempt) of an event to an endpoint. {@code failed}
 * means another attempt follows (a {@code pending} row); {@code gave_up} that none does: the
 * schedule ran out or the endpoint was disabled. Notices of an endpoint's disabling are rows of
 * their own with {@code attempt} 0, never sent.
 */
public record DeliveryView(UUID id, UUID eventId, String eventType, int attempt, String status,
		@Nullable Integer responseStatus, @Nullable Integer durationMs, @Nullable String error, Instant createdAt,
		@Nullable Instant attemptedAt, @Nullable Instant nextAttemptAt) {
}
