package dev.phork.studio;

import dev.phork.assets.AssetView;
import dev.phork.history.ProjectService;
import dev.phork.history.VersionService;
import dev.phork.history.VersionService.VersionView;
import dev.phork.identity.Caller;
import dev.phork.jobs.JobService;
import dev.phork.jobs.JobView;
import dev.phork.storyboard.PipelineService;
import dev.phork.storyboard.PipelineService.PipelineView;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A running pipeline on the project page: its stages and their jobs, refreshed by the browser on
 * each event of the pipeline's stream (the API's stream, read with the session cookie), and the
 * render once it is done.
 */
@Hidden
@Controller
class PipelinePanels {

	private final PipelineService pipelines;

	private final JobService jobs;

	private final VersionService versions;

	private final ProjectService projects;

	PipelinePanels(PipelineService pipelines, JobService jobs, VersionService versions, ProjectService projects) {
		this.pipelines = pipelines;
		this.jobs = jobs;
		this.versions = versions;
		this.projects = projects;
	}

	record StagePanel(String name, String status, List<JobView> jobs) {
	}

	record Panel(PipelineView pipeline, List<StagePanel> stages, boolean running, @Nullable AssetView render) {

		public int percent() {
			return (int) Math.round(pipeline.progress() * 100);
		}

	}

	/** The panel of a pipeline the caller was allowed to read. */
	Panel of(Caller caller, PipelineView pipeline) {
		List<UUID> ids = pipeline.stages().stream().flatMap(s -> s.jobs().stream()).toList();
		Map<UUID, JobView> byId = jobs.views(ids).stream().collect(Collectors.toMap(JobView::id, Function.identity()));
		List<StagePanel> stages = pipeline.stages()
			.stream()
			.map(s -> new StagePanel(s.name(), s.status(), s.jobs().stream().map(byId::get).filter(j -> j != null).toList()))
			.toList();
		AssetView render = null;
		if (pipeline.versionId() != null) {
			render = versions.list(caller, pipeline.projectId(), null, 200)
				.items()
				.stream()
				.filter(v -> v.id().equals(pipeline.versionId()))
				.map(VersionView::renderAssetId)
				.findFirst()
				.map(asset -> projects.asset(caller, pipeline.projectId(), asset))
				.orElse(null);
		}
		return new Panel(pipeline, stages, pipeline.status().equals("running"), render);
	}

	@GetMapping("/studio/pipelines/{id}/panel")
	String panel(Caller caller, @PathVariable UUID id, Model model) {
		model.addAttribute("pipeline", of(caller, pipelines.get(caller, id)));
		return "studio/pipeline :: body";
	}

	@GetMapping(path = "/studio/pipelines/{id}/events", produces = "text/event-stream")
	SseEmitter events(Caller caller, @PathVariable UUID id) {
		return pipelines.events(caller, id);
	}

}
