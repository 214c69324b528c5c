package dev.phork.studio;

import dev.phork.assets.AssetView;
import dev.phork.common.FieldError;
import dev.phork.common.ProblemException;
import dev.phork.history.CommitService;
import dev.phork.history.CommitService.CommitCommand;
import dev.phork.history.CommitView;
import dev.phork.history.ForkEdits;
import dev.phork.history.ForkEdits.SceneEdits;
import dev.phork.history.ForkEdits.SceneInsert;
import dev.phork.history.ForkEdits.SceneUpdate;
import dev.phork.history.ProjectService;
import dev.phork.history.ProjectService.ForkCommand;
import dev.phork.history.ProjectView;
import dev.phork.history.Scene;
import dev.phork.history.StoryboardSettings;
import dev.phork.history.Timeline;
import dev.phork.history.VersionService;
import dev.phork.history.VersionService.VersionView;
import dev.phork.identity.BrowserSessions;
import dev.phork.identity.Caller;
import dev.phork.identity.Role;
import dev.phork.identity.WorkspaceAccess;
import dev.phork.storyboard.PipelineService;
import dev.phork.storyboard.PipelineService.GenerateCommand;
import dev.phork.storyboard.PipelineService.Started;
import dev.phork.storyboard.StoryboardService;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * A project: its storyboard as scene cards, history, versions and registry; generating from a
 * logline (estimate first), forking, editing scenes, the plan before regenerating, and regenerating.
 * Edits are the API's fork edits applied to the head and committed on it, so the same rules hold.
 */
@Hidden
@Controller
class ProjectPages {

	private final ProjectService projects;

	private final CommitService commits;

	private final VersionService versions;

	private final PipelineService pipelines;

	private final StoryboardService storyboards;

	private final BrowserSessions sessions;

	private final WorkspaceAccess access;

	private final Validator validator;

	private final PipelinePanels panels;

	ProjectPages(ProjectService projects, CommitService commits, VersionService versions, PipelineService pipelines,
			StoryboardService storyboards, BrowserSessions sessions, WorkspaceAccess access, Validator validator, PipelinePanels panels) {
		this.panels = panels;
		this.projects = projects;
		this.commits = commits;
		this.versions = versions;
		this.pipelines = pipelines;
		this.storyboards = storyboards;
		this.sessions = sessions;
		this.access = access;
		this.validator = validator;
	}

	record SceneCard(int number, Scene scene, @Nullable AssetView keyframe, @Nullable AssetView video,
			@Nullable AssetView audio) {
	}

	record HistoryLine(CommitView commit, String author, boolean inherited, boolean forkPoint) {
	}

	record VersionLine(VersionView version, @Nullable AssetView render) {
	}

	record Generate(String logline, int sceneCount, String style) {
	}

	@GetMapping("/studio/explore")
	String explore(Model model) {
		List<ProjectView> found = projects.explore(null, 100).items();
		model.addAttribute("projects", found);
		model.addAttribute("attributions",
				sessions.attributions(found.stream().map(ProjectView::workspaceId).distinct().toList()));
		return "studio/explore";
	}

	@GetMapping("/studio/projects/{id}")
	String project(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable UUID pipeline,
			Model model) {
		ProjectView project = projects.readable(caller, id);
		CommitView head = commits.get(caller, id, project.headCommitId().toString());
		Role role = access.roleOf(caller.userId(), project.workspaceId()).orElse(null);
		List<CommitView> history = commits.list(caller, id, null, 50).items();
		List<VersionView> renders = versions.list(caller, id, null, 10).items();

		Set<UUID> assetIds = new HashSet<>();
		for (Scene scene : head.timeline().scenes()) {
			addIfSet(assetIds, scene.keyframeAssetId());
			addIfSet(assetIds, scene.videoAssetId());
			addIfSet(assetIds, scene.audioAssetId());
		}
		head.timeline().entries().forEach(e -> addIfSet(assetIds, e.referenceAssetId()));
		renders.forEach(v -> assetIds.add(v.renderAssetId()));
		Map<UUID, AssetView> assets = projects.assets(caller, id, assetIds);

		List<SceneCard> cards = new ArrayList<>();
		int number = 1;
		for (Scene scene : head.timeline().scenes()) {
			cards.add(new SceneCard(number++, scene, get(assets, scene.keyframeAssetId()), get(assets, scene.videoAssetId()),
					get(assets, scene.audioAssetId())));
		}
		Map<UUID, String> names = sessions.userNames(history.stream().map(CommitView::authorId).distinct().toList());
		List<HistoryLine> lines = history.stream()
			.map(c -> new HistoryLine(c, names.getOrDefault(c.authorId(), "someone"), !c.projectId().equals(id),
					c.id().equals(project.forkCommitId())))
			.toList();
		List<VersionLine> versionLines = renders.stream()
			.map(v -> new VersionLine(v, assets.get(v.renderAssetId())))
			.toList();

		model.addAttribute("project", project);
		model.addAttribute("head", head);
		model.addAttribute("scenes", cards);
		model.addAttribute("entries", head.timeline().entries());
		model.addAttribute("assets", assets);
		model.addAttribute("history", lines);
		model.addAttribute("versions", versionLines);
		model.addAttribute("editor", role != null && role.atLeast(Role.EDITOR));
		model.addAttribute("forkTargets",
				sessions.workspaces(caller).stream().filter(m -> m.role().atLeast(Role.EDITOR)).toList());
		model.addAttribute("workspace", sessions.attributions(List.of(project.workspaceId())).get(project.workspaceId()));
		if (project.parentProjectId() != null) {
			model.addAttribute("parent", readableOrNull(caller, project.parentProjectId()));
		}
		if (!model.containsAttribute("generate")) {
			model.addAttribute("generate", new Generate("", 3, ""));
		}
		if (pipeline != null) {
			model.addAttribute("pipeline", panels.of(caller, pipelines.get(caller, pipeline)));
		}
		return "studio/project";
	}

	/** The estimate of generating from a logline (a dry run: nothing is charged or written). */
	@PostMapping("/studio/projects/{id}/estimate")
	String estimate(Caller caller, @PathVariable UUID id, @RequestParam(defaultValue = "") String logline,
			@RequestParam(defaultValue = "3") int sceneCount, @RequestParam(defaultValue = "") String style, Model model,
			HttpServletResponse response) {
		Generate form = new Generate(logline, sceneCount, style);
		model.addAttribute("generate", form);
		try {
			Started dry = pipelines.generate(caller, id, command(form), true);
			model.addAttribute("estimate", dry);
		}
		catch (ProblemException ex) {
			model.addAttribute("generateError", ex.getMessage());
			response.setStatus(ex.status().value());
		}
		return project(caller, id, null, model);
	}

	@PostMapping("/studio/projects/{id}/generate")
	String generate(Caller caller, @PathVariable UUID id, @RequestParam(defaultValue = "") String logline,
			@RequestParam(defaultValue = "3") int sceneCount, @RequestParam(defaultValue = "") String style, Model model,
			HttpServletResponse response) {
		Generate form = new Generate(logline, sceneCount, style);
		try {
			Started started = pipelines.generate(caller, id, command(form), false);
			return "redirect:/studio/projects/" + id + "?pipeline=" + started.pipelineId() + "#pipeline";
		}
		catch (ProblemException ex) {
			model.addAttribute("generate", form);
			model.addAttribute("generateError", ex.getMessage());
			response.setStatus(ex.status().value());
			return project(caller, id, null, model);
		}
	}

	@PostMapping("/studio/projects/{id}/fork")
	String fork(Caller caller, @PathVariable UUID id, @RequestParam UUID workspaceId,
			@RequestParam(required = false) @Nullable String commitId, @RequestParam(required = false) @Nullable String name) {
		ProjectView fork = projects.fork(caller, id,
				new ForkCommand(workspaceId, commitId, name == null || name.isBlank() ? null : name.strip(), null, null));
		return "redirect:/studio/projects/" + fork.id();
	}

	@PostMapping("/studio/projects/{id}/scenes/{sceneId}")
	String editScene(Caller caller, @PathVariable UUID id, @PathVariable UUID sceneId,
			@RequestParam(defaultValue = "") String prompt, Model model, HttpServletResponse response) {
		return edit(caller, id, "Edit a scene's prompt",
				new SceneEdits(List.of(new SceneUpdate(sceneId, prompt, null)), null, null, null), model, response);
	}

	@PostMapping("/studio/projects/{id}/scenes")
	String insertScene(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable UUID afterId,
			@RequestParam(defaultValue = "") String prompt, Model model, HttpServletResponse response) {
		Scene scene = new Scene(null, prompt, null, null, null, null, null, null);
		return edit(caller, id, "Insert a scene",
				new SceneEdits(null, List.of(new SceneInsert(afterId, scene)), null, null), model, response);
	}

	@PostMapping("/studio/projects/{id}/scenes/{sceneId}/delete")
	String deleteScene(Caller caller, @PathVariable UUID id, @PathVariable UUID sceneId, Model model,
			HttpServletResponse response) {
		return edit(caller, id, "Delete a scene", new SceneEdits(null, null, List.of(sceneId), null), model, response);
	}

	/** A new order of the scenes: from the timeline's drag and drop (every id) or a move button (one step). */
	@PostMapping("/studio/projects/{id}/order")
	String reorder(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable List<UUID> order,
			@RequestParam(required = false) @Nullable UUID move, @RequestParam(defaultValue = "0") int by, Model model,
			HttpServletResponse response) {
		List<UUID> ids = order;
		if (ids == null || ids.isEmpty()) {
			ProjectView project = projects.readable(caller, id);
			List<UUID> current = new ArrayList<>(
					commits.get(caller, id, project.headCommitId().toString()).timeline().scenes().stream().map(Scene::id).toList());
			int at = current.indexOf(move);
			int to = at + Integer.signum(by);
			if (at < 0 || to < 0 || to >= current.size()) {
				return "redirect:/studio/projects/" + id + "#timeline";
			}
			current.add(to, current.remove(at));
			ids = current;
		}
		return edit(caller, id, "Reorder the scenes", new SceneEdits(null, null, null, ids), model, response);
	}

	@GetMapping("/studio/projects/{id}/plan")
	String plan(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable String commitId,
			Model model) {
		ProjectView project = projects.readable(caller, id);
		model.addAttribute("project", project);
		model.addAttribute("plan", pipelines.plan(caller, id, commitId));
		Role role = access.roleOf(caller.userId(), project.workspaceId()).orElse(null);
		model.addAttribute("editor", role != null && role.atLeast(Role.EDITOR));
		CommitView commit = commits.get(caller, id, commitId != null ? commitId : project.headCommitId().toString());
		Map<UUID, Integer> numbers = new HashMap<>();
		for (int i = 0; i < commit.timeline().scenes().size(); i++) {
			numbers.put(commit.timeline().scenes().get(i).id(), i + 1);
		}
		model.addAttribute("sceneNumbers", numbers);
		return "studio/plan";
	}

	@PostMapping("/studio/projects/{id}/regenerate")
	String regenerate(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable String commitId) {
		Started started = pipelines.regenerate(caller, id, commitId, false);
		if (started.pipelineId() == null) {
			return "redirect:/studio/projects/" + id;
		}
		return "redirect:/studio/projects/" + id + "?pipeline=" + started.pipelineId() + "#pipeline";
	}

	@GetMapping("/studio/projects/{id}/diff")
	String diff(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable UUID from,
			@RequestParam(required = false) @Nullable UUID to, Model model) {
		ProjectView project = projects.readable(caller, id);
		List<CommitView> history = commits.list(caller, id, null, 100).items();
		UUID toId = to != null ? to : project.headCommitId();
		UUID fromId = from != null ? from : history.size() > 1 ? history.get(1).id() : toId;
		model.addAttribute("project", project);
		model.addAttribute("history", history);
		model.addAttribute("from", fromId);
		model.addAttribute("to", toId);
		model.addAttribute("diff", storyboards.diff(caller, id, fromId.toString(), toId.toString()));
		model.addAttribute("fromCommit", commits.get(caller, id, fromId.toString()));
		model.addAttribute("toCommit", commits.get(caller, id, toId.toString()));
		return "studio/diff";
	}

	record SignedUrl(String url, Instant expiresAt) {
	}

	/** A fresh signed URL for a player whose URL is about to expire. */
	@GetMapping("/studio/projects/{id}/assets/{assetId}/url")
	@ResponseBody
	SignedUrl signedUrl(Caller caller, @PathVariable UUID id, @PathVariable UUID assetId) {
		AssetView asset = projects.asset(caller, id, assetId);
		return new SignedUrl(asset.url(), asset.urlExpiresAt());
	}

	private String edit(Caller caller, UUID id, String message, SceneEdits sceneEdits, Model model,
			HttpServletResponse response) {
		try {
			ForkEdits edits = new ForkEdits(null, sceneEdits, null);
			validate(edits);
			ProjectView project = projects.writable(caller, id);
			CommitView head = commits.get(caller, id, project.headCommitId().toString());
			Timeline edited = storyboards.apply(caller, project, head.timeline(), edits);
			commits.commit(caller, id, new CommitCommand(message, head.id(), edited));
			return "redirect:/studio/projects/" + id + "#timeline";
		}
		catch (ProblemException ex) {
			model.addAttribute("editError", ex.getMessage());
			response.setStatus(ex.status().value());
			return project(caller, id, null, model);
		}
	}

	private void validate(ForkEdits edits) {
		Set<ConstraintViolation<ForkEdits>> violations = validator.validate(edits);
		if (!violations.isEmpty()) {
			ConstraintViolation<ForkEdits> first = violations.iterator().next();
			String field = first.getPropertyPath().toString();
			throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed",
					field.substring(field.lastIndexOf('.') + 1) + " " + first.getMessage() + ".",
					Map.of("errors", List.of(new FieldError(field, first.getMessage()))));
		}
	}

	private static GenerateCommand command(Generate form) {
		StoryboardSettings settings = form.style().isBlank() ? null
				: new StoryboardSettings(form.style().strip(), null, null, null, null, null);
		return new GenerateCommand(form.logline(), form.sceneCount(), settings);
	}

	private @Nullable ProjectView readableOrNull(Caller caller, UUID projectId) {
		try {
			return projects.readable(caller, projectId);
		}
		catch (ProblemException hidden) {
			return null;
		}
	}

	private static void addIfSet(Set<UUID> ids, @Nullable UUID id) {
		if (id != null) {
			ids.add(id);
		}
	}

	private static @Nullable AssetView get(Map<UUID, AssetView> assets, @Nullable UUID id) {
		return id == null ? null : assets.get(id);
	}

}
