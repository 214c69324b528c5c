package dev.phork.webhooks;

import java.util.Set;

/** The event types an endpoint may subscribe to ({@code *} for all of them), and Phork's own. */
final class WebhookEventTypes {

	static final String JOB_SUCCEEDED = "job.succeeded";

	static final String JOB_FAILED = "job.failed";

	static final String JOB_CANCELED = "job.canceled";

	static final String PIPELINE_SUCCEEDED = "pipeline.succeeded";

	static final String PIPELINE_FAILED = "pipeline.failed";

	static final String PIPELINE_CANCELED = "pipeline.canceled";

	static final String VERSION_CREATED = "version.created";

	static final String COMMIT_CREATED = "commit.created";

	static final String PROJECT_FORKED = "project.forked";

	static final String CREDITS_LOW = "credits.low";

	/** Sent by {@code POST .../test} to that endpoint whatever it subscribes to. */
	static final String TEST = "webhook.test";

	/** A notice in the deliveries list, never sent: the endpoint was disabled. */
	static final String DISABLED = "webhook.disabled";

	static final String ALL = "*";

	static final Set<String> SUBSCRIBABLE = Set.of(JOB_SUCCEEDED, JOB_FAILED, JOB_CANCELED, PIPELINE_SUCCEEDED,
			PIPELINE_FAILED, PIPELINE_CANCELED, VERSION_CREATED, COMMIT_CREATED, PROJECT_FORKED, CREDITS_LOW, ALL);

	private WebhookEventTypes() {
	}

}
