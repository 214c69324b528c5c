package dev.phork.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An endpoint as the API shows it. {@code secret} is there only in the answers to creation and
 * rotation; {@code disabledReason} says why Phork disabled it (410 Gone, failing too long).
 */
public record WebhookView(UUID id, UUID workspaceId, String url, List<String> events, @Nullable String description,
		boolean enabled, @Nullable String disabledReason, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret,
		Instant createdAt, Instant updatedAt) {

	WebhookView withSecret(String secret) {
		return new WebhookView(id, workspaceId, url, events, description, enabled, disabledReason, secret, createdAt,
				updatedAt);
	}

}
