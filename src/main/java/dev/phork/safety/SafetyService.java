package dev.phork.safety;

import dev.phork.common.Ids;
import dev.phork.common.ProblemException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Screens prompts before anything is charged. A refusal is recorded as a safety event holding at
 * most the first 200 characters of the prompt, in its own transaction (the request itself fails),
 * and events are deleted once older than the retention period.
 */
@Service
public class SafetyService {

	private static final Logger log = LoggerFactory.getLogger(SafetyService.class);

	private final Moderation moderation;

	private final JdbcClient jdbc;

	private final SafetySettings settings;

	private final TransactionTemplate tx;

	SafetyService(Moderation moderation, JdbcClient jdbc, SafetySettings settings, TransactionTemplate tx) {
		this.moderation = moderation;
		this.jdbc = jdbc;
		this.settings = settings;
		this.tx = tx;
	}

	/**
	 * Throws a 422 problem, after recording a safety event in a transaction of its own (the request
	 * fails, the event stays), when the text may not be generated. Allowed text touches nothing.
	 * {@code beforeRecording} runs first when the text is refused: the caller's own check that the
	 * user may write to the workspace (it throws if not), so strangers never leave events behind.
	 */
	public void screen(UUID workspaceId, UUID userId, String kind, String text, Runnable beforeRecording) {
		moderation.refusal(text).ifPresent(reason -> {
			beforeRecording.run();
			tx.executeWithoutResult(status -> jdbc.sql("""
					INSERT INTO safety_events (id, workspace_id, user_id, kind, excerpt, reason)
					VALUES (:id, :workspace, :user, :kind, :excerpt, :reason)""")
				.param("id", Ids.newId())
				.param("workspace", workspaceId)
				.param("user", userId)
				.param("kind", kind)
				.param("excerpt", text.length() <= 200 ? text : text.substring(0, 200))
				.param("reason", reason)
				.update());
			throw ProblemException.unprocessable("prompt_blocked",
					"The prompt was refused by moderation: " + reason + ". Nothing was charged.");
		});
	}

	@Scheduled(fixedDelayString = "${phork.safety.sweep-interval:PT1H}", initialDelayString = "PT1M")
	int deleteExpiredEvents() {
		int deleted = jdbc.sql("DELETE FROM safety_events WHERE created_at < now() - make_interval(secs => :secs)")
			.param("secs", (double) settings.eventRetention().toSeconds())
			.update();
		if (deleted > 0) {
			log.info("Deleted {} safety events past retention", deleted);
		}
		return deleted;
	}

	/** Erases the user's prompt excerpts from safety events. */
	@Transactional(propagation = Propagation.MANDATORY)
	public int erase(UUID userId) {
		return jdbc.sql("UPDATE safety_events SET excerpt = '' WHERE user_id = :user AND excerpt <> ''")
			.param("user", userId)
			.update();
	}

}
