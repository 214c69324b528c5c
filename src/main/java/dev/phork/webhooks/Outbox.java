package dev.phork.webhooks;

import dev.phork.common.Ids;
import dev.phork.webhooks.WebhookDeliveries.NewEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes events into the outbox in the caller's transaction, so an event exists exactly when its
 * change committed, and wakes this process's dispatcher once that transaction commits.
 */
@Component
class Outbox {

	private final WebhookDeliveries deliveries;

	private final DispatchSignal signal;

	private final JsonMapper json;

	private final RetrySchedule schedule;

	Outbox(WebhookDeliveries deliveries, DispatchSignal signal, JsonMapper json, WebhookSettings settings) {
		this.deliveries = deliveries;
		this.signal = signal;
		this.json = json;
		this.schedule = new RetrySchedule(settings.retrySchedule());
	}

	/** The event {@code {id, type, timestamp, workspaceId, data}}, its id also its {@code webhook-id}. */
	NewEvent event(UUID workspaceId, String type, Instant timestamp, Map<String, ?> data) {
		UUID id = Ids.newId();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", id);
		body.put("type", type);
		body.put("timestamp", timestamp);
		body.put("workspaceId", workspaceId);
		body.put("data", data);
		return new NewEvent(id, workspaceId, type, json.writeValueAsString(body));
	}

	/** Stores the events some endpoint subscribes to, with their first deliveries, in one statement. */
	@Transactional(propagation = Propagation.MANDATORY)
	void write(List<NewEvent> events) {
		if (!events.isEmpty() && deliveries.fanOut(events, schedule.first()) > 0) {
			wakeAfterCommit();
		}
	}

	void wakeAfterCommit() {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				signal.wake();
			}
		});
	}

}
