package dev.phork.webhooks;

import dev.phork.common.ApiAnswers;
import dev.phork.common.Cursor;
import dev.phork.common.Page;
import dev.phork.identity.Caller;
import dev.phork.webhooks.WebhookService.CreateCommand;
import dev.phork.webhooks.WebhookService.UpdateCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/workspaces/{workspaceId}/webhooks")
@Tag(name = "webhooks")
class WebhookController {

	private final WebhookService webhooks;

	WebhookController(WebhookService webhooks) {
		this.webhooks = webhooks;
	}

	record CreateRequest(@NotBlank @Size(max = 2048) String url,
			@NotEmpty @Size(max = 20) List<@NotBlank String> events, @Size(max = 500) @Nullable String description) {
	}

	record UpdateRequest(@Size(max = 2048) @Nullable String url, @Size(min = 1, max = 20) @Nullable List<@NotBlank String> events,
			@Size(max = 500) @Nullable String description, @Nullable Boolean enabled) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createWebhook", summary = "Register an endpoint; its secret is shown only here and on rotation")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "invalid_webhook_url", "unknown_event_type", "webhook_url_not_allowed" })
	WebhookView create(Caller caller, @PathVariable UUID workspaceId, @Valid @RequestBody CreateRequest request) {
		return webhooks.create(caller, workspaceId, new CreateCommand(request.url(), request.events(), request.description()));
	}

	@GetMapping
	@Operation(operationId = "listWebhooks", summary = "The workspace's endpoints, newest first")
	@ApiAnswers(problems = { "workspace_not_found" })
	Page<WebhookView> list(Caller caller, @PathVariable UUID workspaceId,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(required = false) @Nullable Integer limit) {
		return webhooks.list(caller, workspaceId, Cursor.decode(cursor), Cursor.limit(limit));
	}

	@GetMapping("/{webhookId}")
	@Operation(operationId = "getWebhook", summary = "One endpoint")
	@ApiAnswers(problems = { "workspace_not_found", "webhook_not_found" })
	WebhookView get(Caller caller, @PathVariable UUID workspaceId, @PathVariable UUID webhookId) {
		return webhooks.get(caller, workspaceId, webhookId);
	}

	@PatchMapping("/{webhookId}")
	@Operation(operationId = "updateWebhook", summary = "Change an endpoint's URL, events, description or enabled flag")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "webhook_not_found", "invalid_webhook_url", "unknown_event_type", "webhook_url_not_allowed" })
	WebhookView update(Caller caller, @PathVariable UUID workspaceId, @PathVariable UUID webhookId,
			@Valid @RequestBody UpdateRequest request) {
		return webhooks.update(caller, workspaceId, webhookId,
				new UpdateCommand(request.url(), request.events(), request.description(), request.enabled()));
	}

	@DeleteMapping("/{webhookId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "deleteWebhook", summary = "Remove an endpoint and its delivery history")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "webhook_not_found" })
	void delete(Caller caller, @PathVariable UUID workspaceId, @PathVariable UUID webhookId) {
		webhooks.delete(caller, workspaceId, webhookId);
	}

	@PostMapping("/{webhookId}/rotate-secret")
	@ResponseStatus(HttpStatus.OK)
	@Operation(operationId = "rotateWebhookSecret", summary = "A new secret; the old one keeps signing beside it for 24 h")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "webhook_not_found" })
	WebhookView rotateSecret(Caller caller, @PathVariable UUID workspaceId, @PathVariable UUID webhookId) {
		return webhooks.rotateSecret(caller, workspaceId, webhookId);
	}

	@PostMapping("/{webhookId}/test")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(operationId = "testWebhook", summary = "Send a webhook.test event to the endpoint now")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "webhook_not_found", "webhook_disabled" })
	DeliveryView test(Caller caller, @PathVariable UUID workspaceId, @PathVariable UUID webhookId) {
		return webhooks.test(caller, workspaceId, webhookId);
	}

	@GetMapping("/{webhookId}/deliveries")
	@Operation(operationId = "listWebhookDeliveries", summary = "The endpoint's delivery attempts, newest first")
	@ApiAnswers(problems = { "workspace_not_found", "webhook_not_found" })
	Page<DeliveryView> deliveries(Caller caller, @PathVariable UUID workspaceId, @PathVariable UUID webhookId,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(required = false) @Nullable Integer limit) {
		return webhooks.deliveries(caller, workspaceId, webhookId, Cursor.decode(cursor), Cursor.limit(limit));
	}

	@PostMapping("/{webhookId}/deliveries/{deliveryId}/retry")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(operationId = "retryWebhookDelivery", summary = "Send that delivery's event to the endpoint again now")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "webhook_not_found", "delivery_not_found", "webhook_disabled" })
	DeliveryView retry(Caller caller, @PathVariable UUID workspaceId, @PathVariable UUID webhookId,
			@PathVariable UUID deliveryId) {
		return webhooks.retry(caller, workspaceId, webhookId, deliveryId);
	}

}
