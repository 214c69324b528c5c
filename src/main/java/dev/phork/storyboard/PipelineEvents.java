package dev.phork.storyboard;

import dev.phork.history.CommitService;
import dev.phork.history.CommitView;
import dev.phork.history.Scene;
import dev.phork.history.Timeline;
import dev.phork.history.VersionService;
import dev.phork.jobs.JobEnded;
import dev.phork.jobs.JobStatus;
import dev.phork.jobs.JobSucceeded;
import dev.phork.jobs.JobType;
import dev.phork.jobs.JobView;
import dev.phork.jobs.JobService;
import dev.phork.storyboard.Pipelines.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Reacts, inside the transaction that ends a job, to what that means for its pipeline: a
 * fingerprinted asset is remembered for memoization; the render's success commits the storyboard
 * with every new asset and records the version, all in that same transaction; a failure or
 * cancellation ends the pipeline (its waiting jobs were already failed and refunded). Each ending is
 * published as a {@link PipelineEnded}, in that transaction too.
 */
@Component
class PipelineEvents {

	private final Pipelines pipelines;

	private final CommitService commits;

	private final VersionService versions;

	private final JobService jobs;

	private final ApplicationEventPublisher events;

	PipelineEvents(Pipelines pipelines, CommitService commits, VersionService versions, JobService jobs,
			ApplicationEventPublisher events) {
		this.pipelines = pipelines;
		this.commits = commits;
		this.versions = versions;
		this.jobs = jobs;
		this.events = events;
	}

	@EventListener
	void on(JobSucceeded event) {
		if (event.request().get("fingerprint") instanceof String fingerprint) {
			pipelines.recordFingerprint(fingerprint, event.assetId(), event.workspaceId());
		}
		if (event.pipelineId() != null && event.type() == JobType.RENDER) {
			pipelines.lockRunning(event.pipelineId()).ifPresent(row -> finish(row, event.assetId()));
		}
	}

	@EventListener
	void on(JobEnded event) {
		if (event.pipelineId() != null) {
			pipelines.end(event.pipelineId(), event.status() == JobStatus.CANCELED ? "canceled" : "failed",
					"job " + event.jobId() + " " + event.status().json()
							+ (event.error() == null ? "" : ": " + event.error()))
				.ifPresent(events::publishEvent);
		}
	}

	private void finish(Pipelines.Row row, UUID renderAsset) {
		Map<UUID, JobView> results = new HashMap<>();
		jobs.views(row.steps().stream().map(Step::jobId).toList()).forEach(job -> results.put(job.id(), job));
		Map<String, UUID> made = new HashMap<>();
		for (Step step : row.steps()) {
			JobView job = results.get(step.jobId());
			if (step.sceneId() != null && job != null && job.resultAssetId() != null) {
				made.put(step.sceneId() + "/" + step.artifact(), job.resultAssetId());
			}
		}
		List<Scene> scenes = new ArrayList<>();
		for (Scene scene : row.storyboard().scenes()) {
			scenes.add(new Scene(scene.id(), scene.prompt(), scene.durationMs(),
					made.getOrDefault(scene.id() + "/keyframe", scene.keyframeAssetId()),
					made.getOrDefault(scene.id() + "/video", scene.videoAssetId()),
					made.getOrDefault(scene.id() + "/audio", scene.audioAssetId()), scene.assetTags(), scene.composition()));
		}
		Timeline storyboard = row.storyboard().withScenes(scenes);
		CommitView commit = commits.commitAs(row.createdBy(), row.projectId(),
				"Pipeline " + row.kind() + ": " + made.size() + " artifacts generated, rendered", storyboard);
		VersionService.VersionView version = versions.record(row.projectId(), commit.id(), renderAsset);
		pipelines.succeed(row.id(), commit.id(), version.id()).ifPresent(events::publishEvent);
	}

}
