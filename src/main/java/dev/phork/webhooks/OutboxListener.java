package dev.phork.webhooks;

import dev.phork.credits.CreditsLow;
import dev.phork.common.Visibility;
import dev.phork.history.CommitCreated;
import dev.phork.history.ProjectForked;
import dev.phork.history.VersionCreated;
import dev.phork.jobs.JobEnded;
import dev.phork.jobs.JobView;
import dev.phork.jobs.JobsSucceeded;
import dev.phork.storyboard.PipelineEnded;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the other features' events into webhook events, inside the transaction that publishes them
 * (a synchronous listener), so the outbox row commits or rolls back with its change. The events
 * carry ids and links (paths on this API), never media or prompt text: a job's data is the job as
 * {@code GET /jobs/{id}} shows it, without its {@code request}.
 */
@Component
class OutboxListener {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final Outbox outbox;

	private final JsonMapper json;

	OutboxListener(Outbox outbox, JsonMapper json) {
		this.outbox = outbox;
		this.json = json;
	}

	@EventListener
	void on(JobsSucceeded event) {
		outbox.write(event.jobs().stream().map(job -> jobEvent(WebhookEventTypes.JOB_SUCCEEDED, job)).toList());
	}

	@EventListener
	void on(JobEnded event) {
		String type = switch (event.status()) {
			case CANCELED -> WebhookEventTypes.JOB_CANCELED;
			default -> WebhookEventTypes.JOB_FAILED;
		};
		outbox.write(List.of(jobEvent(type, event.job())));
	}

	@EventListener
	void on(PipelineEnded event) {
		String type = switch (event.status()) {
			case "succeeded" -> WebhookEventTypes.PIPELINE_SUCCEEDED;
			case "canceled" -> WebhookEventTypes.PIPELINE_CANCELED;
			default -> WebhookEventTypes.PIPELINE_FAILED;
		};
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("pipelineId", event.pipelineId());
		data.put("projectId", event.projectId());
		data.put("kind", event.kind());
		data.put("status", event.status());
		data.put("commitId", event.commitId());
		data.put("versionId", event.versionId());
		data.put("error", event.error());
		data.put("links", Map.of("self", "/pipelines/" + event.pipelineId(), "project", "/projects/" + event.projectId()));
		outbox.write(List.of(outbox.event(event.workspaceId(), type, Instant.now(), data)));
	}

	@EventListener
	void on(VersionCreated event) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("versionId", event.versionId());
		data.put("projectId", event.projectId());
		data.put("commitId", event.commitId());
		data.put("renderAssetId", event.renderAssetId());
		data.put("createdAt", event.createdAt());
		data.put("links", Map.of("versions", "/projects/" + event.projectId() + "/versions", "commit",
				"/projects/" + event.projectId() + "/commits/" + event.commitId(), "render",
				"/assets/" + event.renderAssetId()));
		outbox.write(List.of(outbox.event(event.workspaceId(), WebhookEventTypes.VERSION_CREATED, event.createdAt(), data)));
	}

	@EventListener
	void on(CommitCreated event) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("commitId", event.commitId());
		data.put("projectId", event.projectId());
		data.put("parentCommitId", event.parentCommitId());
		data.put("authorId", event.authorId());
		data.put("createdAt", event.createdAt());
		data.put("links", Map.of("self", "/projects/" + event.projectId() + "/commits/" + event.commitId(), "project",
				"/projects/" + event.projectId()));
		outbox.write(List.of(outbox.event(event.workspaceId(), WebhookEventTypes.COMMIT_CREATED, event.createdAt(), data)));
	}

	/**
	 * Sent to the source's workspace. The fork itself (its id and workspace) is named only when the
	 * source's members may see it: it is not private, or it lives in the source's own workspace.
	 */
	@EventListener
	void on(ProjectForked event) {
		boolean visible = event.forkVisibility() != Visibility.PRIVATE
				|| event.forkWorkspaceId().equals(event.sourceWorkspaceId());
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("projectId", event.sourceProjectId());
		data.put("forkCommitId", event.forkCommitId());
		data.put("forkId", visible ? event.forkId() : null);
		data.put("forkWorkspaceId", visible ? event.forkWorkspaceId() : null);
		data.put("createdAt", event.createdAt());
		Map<String, Object> links = new LinkedHashMap<>();
		links.put("project", "/projects/" + event.sourceProjectId());
		links.put("forkCommit", "/projects/" + event.sourceProjectId() + "/commits/" + event.forkCommitId());
		if (visible) {
			links.put("fork", "/projects/" + event.forkId());
		}
		data.put("links", links);
		outbox.write(
				List.of(outbox.event(event.sourceWorkspaceId(), WebhookEventTypes.PROJECT_FORKED, event.createdAt(), data)));
	}

	@EventListener
	void on(CreditsLow event) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("balance", event.balance());
		data.put("threshold", event.threshold());
		data.put("links", Map.of("balance", "/credits/balance?workspaceId=" + event.workspaceId()));
		outbox.write(List.of(outbox.event(event.workspaceId(), WebhookEventTypes.CREDITS_LOW, Instant.now(), data)));
	}

	private WebhookDeliveries.NewEvent jobEvent(String type, JobView job) {
		Map<String, Object> data = json.convertValue(job, MAP);
		data.remove("request");
		Map<String, Object> links = new LinkedHashMap<>();
		links.put("self", "/jobs/" + job.id());
		if (job.resultAssetId() != null) {
			links.put("result", "/assets/" + job.resultAssetId());
		}
		data.put("links", links);
		return outbox.event(job.workspaceId(), type, Objects.requireNonNullElse(job.finishedAt(), Instant.now()), data);
	}

}
