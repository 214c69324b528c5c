package dev.phork.history;

import dev.phork.common.ProblemException;
import dev.phork.identity.Caller;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Merges, reverts and cherry-picks: each is a three-way merge of storyboards ({@link ThreeWayMerge})
 * committed on the head. A merge commit has two parents: the head it was computed on and the commit
 * merged in, whose history (and so its assets) becomes part of the target's. A conflict nobody
 * resolved is a 409 {@code merge_conflict} listing every conflicting path, and nothing is written.
 * Each is computed on the head read when the request starts and applies only if that is still the
 * head, so of concurrent merges into one head exactly one wins (409 {@code stale_parent}).
 */
@Service
public class MergeService {

	private final ProjectService projects;

	private final CommitService commitService;

	private final Commits commits;

	private final JsonMapper json;

	private final Validator validator;

	MergeService(ProjectService projects, CommitService commitService, Commits commits, JsonMapper json,
			Validator validator) {
		this.projects = projects;
		this.commitService = commitService;
		this.commits = commits;
		this.json = json;
		this.validator = validator;
	}

	/** Settles one conflict: {@code take} a side, or give the {@code value} (JSON null drops a scene). */
	public record Resolution(@NotBlank @Size(max = 200) String path,
			@Pattern(regexp = "ours|theirs|base") @Nullable String take, @Nullable JsonNode value) {
	}

	public record Conflict(@Nullable UUID sceneId, String path, JsonNode base, JsonNode ours, JsonNode theirs) {
	}

	public record MergeCommand(UUID sourceProjectId, @Nullable String sourceCommitId, @Nullable String message,
			List<Resolution> resolutions, @Nullable UUID parentCommitId) {
	}

	public record RevertCommand(String commitId, @Nullable String message, List<Resolution> resolutions,
			@Nullable UUID parentCommitId) {
	}

	public record CherryPickCommand(UUID sourceProjectId, String commitId, @Nullable List<UUID> sceneIds,
			@Nullable String message, List<Resolution> resolutions, @Nullable UUID parentCommitId) {
	}

	/**
	 * What merging the source's head into the target's would give: the three commits, and the
	 * merged storyboard or the conflicts.
	 */
	public record Preview(UUID base, UUID ours, UUID theirs, @Nullable Timeline merged, List<Conflict> conflicts) {
	}

	/** Merges a commit of the source (its head by default) into the target's head. */
	@Transactional
	public CommitView merge(Caller caller, UUID targetId, MergeCommand command) {
		ProjectView target = projects.writable(caller, targetId);
		ProjectView source = projects.readable(caller, command.sourceProjectId());
		requireOther(target, source);
		projects.requireShareable(caller, source, target);
		CommitView theirs = commitService.resolveOrHead(source, command.sourceCommitId());
		return mergeInto(caller, target, source, theirs, command.message(), command.resolutions(),
				command.parentCommitId());
	}

	/**
	 * Merges what {@code offeredBy} offered in a merge request: the merger writes the target (the
	 * caller checked that), and the one who offered it must still be allowed to share the source.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public CommitView mergeOffered(Caller merger, Caller offeredBy, UUID targetId, UUID sourceId, String message,
			List<Resolution> resolutions) {
		ProjectView target = projects.writable(merger, targetId);
		ProjectView source = projects.find(sourceId).orElseThrow(() -> ProblemException.notFound("project", sourceId));
		projects.requireShareable(offeredBy, source, target);
		CommitView theirs = commits.find(source.headCommitId()).orElseThrow();
		return mergeInto(merger, target, source, theirs, message, resolutions, null);
	}

	/** Whether the source may be offered to the target by this user (see {@link ProjectService#requireShareable}). */
	public void requireOffer(Caller caller, ProjectView target, ProjectView source) {
		requireOther(target, source);
		projects.requireShareable(caller, source, target);
		if (commits.mergeBase(target.headCommitId(), source.headCommitId()).isEmpty()) {
			throw noSharedHistory(source.id());
		}
	}

	/** The merge of the source's head into the target's head, computed but not written. */
	public Preview preview(UUID targetId, UUID sourceId) {
		ProjectView target = projects.find(targetId).orElseThrow();
		ProjectView source = projects.find(sourceId).orElseThrow();
		CommitView ours = commits.find(target.headCommitId()).orElseThrow();
		CommitView theirs = commits.find(source.headCommitId()).orElseThrow();
		UUID baseId = commits.mergeBase(ours.id(), theirs.id()).orElseThrow(() -> noSharedHistory(sourceId));
		CommitView base = commits.find(baseId).orElseThrow();
		ThreeWayMerge.Result result = ThreeWayMerge.merge(json, base.timeline(), ours.timeline(), theirs.timeline(),
				List.of());
		return new Preview(base.id(), ours.id(), theirs.id(), result.clean() ? read(result) : null,
				result.conflicts().stream().map(MergeService::conflict).toList());
	}

	/** Undoes what the commit changed, on the head, by the three-way rules (base: that commit). */
	@Transactional
	public CommitView revert(Caller caller, UUID projectId, RevertCommand command) {
		ProjectView project = projects.writable(caller, projectId);
		CommitView reverted = commitService.resolve(projectId, command.commitId());
		if (reverted.parentCommitId() == null) {
			throw ProblemException.unprocessable("nothing_to_revert",
					"Commit " + reverted.id() + " is the first of its history; there is nothing before it to go back to.");
		}
		UUID head = expectedHead(project, command.parentCommitId());
		CommitView ours = commits.find(head).orElseThrow();
		CommitView before = commits.find(reverted.parentCommitId()).orElseThrow();
		Timeline result = combine(reverted, ours, before, command.resolutions());
		String message = command.message() != null ? command.message() : clip("Revert \"" + reverted.message() + "\"");
		return commitService.append(project, head, null, message, result, caller.userId());
	}

	/**
	 * Applies a commit's changes (or only those to the named scenes) from any readable project that
	 * shares history with this one, on the head. The picked commit's history does not become this
	 * project's: its assets are usable only if they already were (a merge brings assets, this does not).
	 */
	@Transactional
	public CommitView cherryPick(Caller caller, UUID projectId, CherryPickCommand command) {
		ProjectView project = projects.writable(caller, projectId);
		ProjectView source = projects.readable(caller, command.sourceProjectId());
		CommitView picked = commitService.resolve(source.id(), command.commitId());
		if (picked.parentCommitId() == null) {
			throw ProblemException.unprocessable("nothing_to_pick",
					"Commit " + picked.id() + " is the first of its history; it changed nothing to pick.");
		}
		UUID head = expectedHead(project, command.parentCommitId());
		if (commits.mergeBase(head, picked.id()).isEmpty()) {
			throw noSharedHistory(source.id());
		}
		CommitView ours = commits.find(head).orElseThrow();
		CommitView before = commits.find(picked.parentCommitId()).orElseThrow();
		CommitView theirs = command.sceneIds() == null ? picked
				: new CommitView(picked.id(), picked.projectId(), picked.parentCommitId(), picked.mergeParentId(),
						picked.message(), onlyScenes(before.timeline(), picked.timeline(), command.sceneIds()),
						picked.authorId(), picked.createdAt());
		Timeline result = combine(before, ours, theirs, command.resolutions());
		String message = command.message() != null ? command.message() : clip("Cherry-pick \"" + picked.message() + "\"");
		return commitService.append(project, head, null, message, result, caller.userId());
	}

	private CommitView mergeInto(Caller author, ProjectView target, ProjectView source, CommitView theirs,
			@Nullable String message, List<Resolution> resolutions, @Nullable UUID expected) {
		UUID head = expectedHead(target, expected);
		if (commits.inHistory(target.id(), theirs.id())) {
			throw ProblemException.unprocessable("nothing_to_merge",
					"Commit " + theirs.id() + " is already in the history of project " + target.id() + ".");
		}
		UUID baseId = commits.mergeBase(head, theirs.id()).orElseThrow(() -> noSharedHistory(source.id()));
		CommitView base = commits.find(baseId).orElseThrow();
		CommitView ours = commits.find(head).orElseThrow();
		Timeline merged = combine(base, ours, theirs, resolutions);
		String text = message != null ? message : clip("Merge " + source.name() + " (" + theirs.id() + ")");
		return commitService.append(target, head, theirs.id(), text, merged, author.userId());
	}

	private static UUID expectedHead(ProjectView project, @Nullable UUID expected) {
		if (expected != null && !expected.equals(project.headCommitId())) {
			throw new ProblemException(HttpStatus.CONFLICT, "stale_parent", "The project head moved: parentCommitId "
					+ expected + " is not the head " + project.headCommitId() + ".",
					Map.of("headCommitId", project.headCommitId()));
		}
		return project.headCommitId();
	}

	/** The merged storyboard, or 409 with every conflict left, or 400 for a resolution that does not fit. */
	private Timeline combine(CommitView base, CommitView ours, CommitView theirs, List<Resolution> resolutions) {
		Set<String> paths = new HashSet<>();
		List<ThreeWayMerge.Resolution> settled = new ArrayList<>();
		for (Resolution r : resolutions) {
			if ((r.take() == null) == (r.value() == null)) {
				throw invalidResolution(r.path(), "give either take (ours, theirs, base) or value");
			}
			if (!paths.add(r.path())) {
				throw invalidResolution(r.path(), "the path is resolved twice");
			}
			settled.add(new ThreeWayMerge.Resolution(r.path(), r.take(), r.value()));
		}
		ThreeWayMerge.Result result;
		try {
			result = ThreeWayMerge.merge(json, base.timeline(), ours.timeline(), theirs.timeline(), settled);
		}
		catch (ThreeWayMerge.InvalidResolution ex) {
			throw invalidResolution(ex.path(), ex.getMessage());
		}
		if (!result.unusedResolutions().isEmpty()) {
			throw ProblemException.badRequest("unknown_resolution", "Nothing conflicts at "
					+ String.join(", ", result.unusedResolutions()) + "; resolve only the paths a merge_conflict listed.");
		}
		if (!result.clean()) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("base", base.id());
			body.put("ours", ours.id());
			body.put("theirs", theirs.id());
			body.put("conflicts", result.conflicts().stream().map(MergeService::conflict).toList());
			throw new ProblemException(HttpStatus.CONFLICT, "merge_conflict", result.conflicts().size()
					+ " change(s) conflict; resolve each path with {path, take} or {path, value} and try again.", body);
		}
		return read(result);
	}

	private Timeline read(ThreeWayMerge.Result result) {
		Timeline timeline;
		try {
			timeline = json.treeToValue(result.timeline(), Timeline.class);
		}
		catch (JacksonException ex) {
			throw invalidResolution("value", "a resolution's value does not have the type of its field");
		}
		Set<ConstraintViolation<Timeline>> violations = validator.validate(timeline);
		if (!violations.isEmpty()) {
			ConstraintViolation<Timeline> first = violations.iterator().next();
			throw invalidResolution(first.getPropertyPath().toString(), first.getMessage());
		}
		return timeline;
	}

	/**
	 * The picked commit's changes to the named scenes only, over its parent: each named scene as the
	 * commit left it (deleted, changed or added after the scene it follows there), the registry
	 * entries it added that those scenes use, and nothing else.
	 */
	private static Timeline onlyScenes(Timeline before, Timeline picked, List<UUID> sceneIds) {
		Map<UUID, Scene> after = new LinkedHashMap<>();
		picked.scenes().forEach(s -> after.put(s.id(), s));
		Set<UUID> known = new HashSet<>();
		before.scenes().forEach(s -> known.add(s.id()));
		Set<UUID> named = new LinkedHashSet<>(sceneIds);
		for (UUID id : named) {
			if (!known.contains(id) && !after.containsKey(id)) {
				throw ProblemException.unprocessable("unknown_scene",
						"Scene " + id + " is neither in the picked commit nor in its parent.");
			}
		}
		List<Scene> scenes = new ArrayList<>();
		for (Scene scene : before.scenes()) {
			if (!named.contains(scene.id())) {
				scenes.add(scene);
			}
			else if (after.containsKey(scene.id())) {
				scenes.add(after.get(scene.id()));
			}
		}
		int insertAt = 0;
		for (Scene scene : picked.scenes()) {
			int at = indexOf(scenes, scene.id());
			if (at >= 0) {
				insertAt = at + 1;
			}
			else if (named.contains(scene.id())) {
				scenes.add(insertAt++, scene);
			}
		}
		Set<String> tags = new HashSet<>();
		before.entries().forEach(e -> tags.add(e.tag()));
		Set<String> used = new HashSet<>();
		scenes.stream().filter(s -> named.contains(s.id())).forEach(s -> used.addAll(s.tags()));
		List<RegistryEntry> entries = new ArrayList<>(before.entries());
		picked.entries().stream().filter(e -> !tags.contains(e.tag()) && used.contains(e.tag())).forEach(entries::add);
		return new Timeline(before.settings(), before.registry() == null && entries.isEmpty() ? null : entries, scenes);
	}

	private static int indexOf(List<Scene> scenes, UUID id) {
		for (int i = 0; i < scenes.size(); i++) {
			if (scenes.get(i).id().equals(id)) {
				return i;
			}
		}
		return -1;
	}

	private static void requireOther(ProjectView target, ProjectView source) {
		if (target.id().equals(source.id())) {
			throw ProblemException.unprocessable("same_project", "A project cannot be merged into itself.");
		}
	}

	private static Conflict conflict(ThreeWayMerge.Conflict c) {
		return new Conflict(c.sceneId(), c.path(), c.base(), c.ours(), c.theirs());
	}

	private static String clip(String message) {
		return message.length() <= 2000 ? message : message.substring(0, 2000);
	}

	private static ProblemException noSharedHistory(UUID sourceId) {
		return ProblemException.unprocessable("no_shared_history",
				"Project " + sourceId + " shares no history with this project; only related projects can be merged.");
	}

	private static ProblemException invalidResolution(String path, String message) {
		return new ProblemException(HttpStatus.BAD_REQUEST, "invalid_resolution", "Resolution " + path + ": " + message + ".",
				Map.of("path", path));
	}

}
