package dev.phork.webhooks;

import dev.phork.common.Ids;
import dev.phork.common.Page;
import dev.phork.common.ProblemException;
import dev.phork.identity.Caller;
import dev.phork.identity.Role;
import dev.phork.identity.WorkspaceAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Endpoints of a workspace: members read them (never their secrets), editors and owners change
 * them. Strangers get 404 for all of it.
 */
@Service
class WebhookService {

	/** How long a rotated-out secret keeps signing beside the new one. */
	static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

	private final WebhookEndpoints endpoints;

	private final WebhookDeliveries deliveries;

	private final WebhookUrls urls;

	private final WorkspaceAccess access;

	private final Outbox outbox;

	private final TransactionTemplate tx;

	WebhookService(WebhookEndpoints endpoints, WebhookDeliveries deliveries, WebhookUrls urls, WorkspaceAccess access,
			Outbox outbox, TransactionTemplate tx) {
		this.endpoints = endpoints;
		this.deliveries = deliveries;
		this.urls = urls;
		this.access = access;
		this.outbox = outbox;
		this.tx = tx;
	}

	record CreateCommand(String url, List<String> events, @Nullable String description) {
	}

	record UpdateCommand(@Nullable String url, @Nullable List<String> events, @Nullable String description,
			@Nullable Boolean enabled) {
	}

	WebhookView create(Caller caller, UUID workspaceId, CreateCommand command) {
		access.require(caller, workspaceId, Role.EDITOR);
		List<String> events = events(command.events());
		String url = urls.requireAllowed(command.url()).toString();
		String secret = WebhookSigner.newSecret();
		return endpoints.insert(Ids.newId(), workspaceId, url, events, command.description(), secret, caller.userId())
			.withSecret(secret);
	}

	Page<WebhookView> list(Caller caller, UUID workspaceId, @Nullable UUID before, int limit) {
		access.require(caller, workspaceId, Role.VIEWER);
		return Page.of(endpoints.list(workspaceId, before, limit + 1), limit, WebhookView::id);
	}

	WebhookView get(Caller caller, UUID workspaceId, UUID webhookId) {
		access.require(caller, workspaceId, Role.VIEWER);
		return endpoints.find(workspaceId, webhookId).orElseThrow(() -> ProblemException.notFound("webhook", webhookId));
	}

	/** Disabling gives up what waits for the endpoint; enabling starts it over. */
	WebhookView update(Caller caller, UUID workspaceId, UUID webhookId, UpdateCommand command) {
		access.require(caller, workspaceId, Role.EDITOR);
		List<String> events = command.events() == null ? null : events(command.events());
		String url = command.url() == null ? null : urls.requireAllowed(command.url()).toString();
		return tx.execute(status -> {
			WebhookView current = locked(workspaceId, webhookId);
			boolean enabled = command.enabled() == null ? current.enabled() : command.enabled();
			if (current.enabled() && !enabled) {
				deliveries.giveUpPending(webhookId, "not sent: the endpoint was disabled");
			}
			return endpoints.update(webhookId, url == null ? current.url() : url,
					events == null ? current.events() : events,
					command.description() == null ? current.description() : command.description(), enabled);
		});
	}

	void delete(Caller caller, UUID workspaceId, UUID webhookId) {
		access.require(caller, workspaceId, Role.EDITOR);
		if (!endpoints.delete(workspaceId, webhookId)) {
			throw ProblemException.notFound("webhook", webhookId);
		}
	}

	WebhookView rotateSecret(Caller caller, UUID workspaceId, UUID webhookId) {
		access.require(caller, workspaceId, Role.EDITOR);
		String secret = WebhookSigner.newSecret();
		return tx.execute(status -> {
			locked(workspaceId, webhookId);
			return endpoints.rotate(webhookId, secret, ROTATION_OVERLAP).withSecret(secret);
		});
	}

	/** Queues a {@code webhook.test} event to this endpoint alone, due now. */
	DeliveryView test(Caller caller, UUID workspaceId, UUID webhookId) {
		access.require(caller, workspaceId, Role.EDITOR);
		return tx.execute(status -> {
			WebhookView endpoint = enabled(locked(workspaceId, webhookId));
			DeliveryView delivery = deliveries.sendTo(outbox.event(workspaceId, WebhookEventTypes.TEST, Instant.now(),
					Map.of("webhookId", endpoint.id(), "links", Map.of("webhook",
							"/workspaces/" + workspaceId + "/webhooks/" + endpoint.id()))),
					endpoint.id(), Ids.newId());
			outbox.wakeAfterCommit();
			return delivery;
		});
	}

	Page<DeliveryView> deliveries(Caller caller, UUID workspaceId, UUID webhookId, @Nullable UUID before, int limit) {
		get(caller, workspaceId, webhookId);
		return Page.of(deliveries.list(webhookId, before, limit + 1), limit, DeliveryView::id);
	}

	/**
	 * Sends the delivery's event to the endpoint again now, with the same {@code webhook-id}: the
	 * attempt waiting for it, if there is one, becomes due now; otherwise a new attempt is queued.
	 */
	DeliveryView retry(Caller caller, UUID workspaceId, UUID webhookId, UUID deliveryId) {
		access.require(caller, workspaceId, Role.EDITOR);
		return tx.execute(status -> {
			enabled(locked(workspaceId, webhookId));
			DeliveryView delivery = deliveries.find(webhookId, deliveryId)
				.orElseThrow(() -> ProblemException.notFound("delivery", deliveryId));
			DeliveryView queued = deliveries.hurryPending(delivery.eventId(), webhookId)
				.orElseGet(() -> deliveries.insert(Ids.newId(), delivery.eventId(), webhookId,
						deliveries.lastAttempt(delivery.eventId(), webhookId) + 1, Duration.ZERO));
			outbox.wakeAfterCommit();
			return queued;
		});
	}

	private WebhookView locked(UUID workspaceId, UUID webhookId) {
		return endpoints.findForUpdate(workspaceId, webhookId).orElseThrow(() -> ProblemException.notFound("webhook", webhookId));
	}

	private static WebhookView enabled(WebhookView endpoint) {
		if (!endpoint.enabled()) {
			throw ProblemException.conflict("webhook_disabled",
					"Webhook " + endpoint.id() + " is disabled; enable it (PATCH enabled: true) first.");
		}
		return endpoint;
	}

	private static List<String> events(List<String> requested) {
		LinkedHashSet<String> events = new LinkedHashSet<>();
		for (String type : requested) {
			if (!WebhookEventTypes.SUBSCRIBABLE.contains(type)) {
				throw ProblemException.badRequest("unknown_event_type", "Unknown event type '" + type + "'; use one of "
						+ WebhookEventTypes.SUBSCRIBABLE.stream().sorted().toList() + ".");
			}
			events.add(type);
		}
		return List.copyOf(events);
	}

}
