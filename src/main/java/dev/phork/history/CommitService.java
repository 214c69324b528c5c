package dev.phork.history;

import dev.phork.common.Ids;
import dev.phork.common.Page;
import dev.phork.common.ProblemException;
import dev.phork.identity.Caller;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Commits: immutable snapshots appended to a project's head with optimistic concurrency. */
@Service
public class CommitService {

	private final ProjectService projects;

	private final Projects projectRows;

	private final Commits commits;

	private final AssetReferences assetReferences;

	private final ApplicationEventPublisher events;

	private final Blames blames;

	private final Tags tags;

	CommitService(ProjectService projects, Projects projectRows, Commits commits, AssetReferences assetReferences,
			ApplicationEventPublisher events, Blames blames, Tags tags) {
		this.projects = projects;
		this.projectRows = projectRows;
		this.commits = commits;
		this.assetReferences = assetReferences;
		this.events = events;
		this.blames = blames;
		this.tags = tags;
	}

	public record CommitCommand(String message, @Nullable UUID parentCommitId, Timeline timeline) {
	}

	/**
	 * Appends a commit. With {@code parentCommitId} the commit applies only if that is still the head
	 * (409 otherwise: a stale editor never overwrites a newer commit). Without it, the commit goes on
	 * whatever the head is, waiting on the project's row lock behind concurrent commits.
	 */
	@Transactional
	public CommitView commit(Caller caller, UUID projectId, CommitCommand command) {
		ProjectView project = projects.writable(caller, projectId);
		java.util.Set<UUID> assetIds = assetReferences.requireUsable(project, command.timeline());
		UUID parentId;
		if (command.parentCommitId() == null) {
			parentId = projectRows.findForUpdate(projectId).orElseThrow().headCommitId();
		}
		else {
			parentId = command.parentCommitId();
			ProjectView current = projectRows.find(projectId).orElseThrow();
			if (!current.headCommitId().equals(parentId)) {
				throw staleParent(parentId, current.headCommitId());
			}
		}
		Timeline parentTimeline = commits.find(parentId).orElseThrow().timeline();
		Timeline timeline = assignSceneIds(command.timeline(), parentTimeline);
		UUID commitId = Ids.newId();
		CommitView commit = commits.insert(commitId, projectId, parentId, command.message(), timeline, caller.userId());
		assetReferences.record(commit, assetIds);
		blames.record(commit);
		if (!projectRows.advanceHead(projectId, parentId, commitId)) {
			// Another commit on the same parent won the race; this transaction rolls back whole.
			throw staleParent(parentId, projectRows.find(projectId).orElseThrow().headCommitId());
		}
		published(commit, project.workspaceId());
		return commit;
	}

	/**
	 * Commits on behalf of work the caller was authorized for earlier (a pipeline finishing, a fork's
	 * edits): the same checks on the timeline and the assets, appended to the current head.
	 */
	@Transactional
	public CommitView commitAs(UUID authorId, UUID projectId, String message, Timeline timeline) {
		return commitOnHead(authorId, projectId, message, head -> timeline);
	}

	/**
	 * Like {@link #commitAs}, but the new storyboard is computed from the head under the project's
	 * row lock, so concurrent changes (say two manifesting runs numbering new tags) apply one after
	 * the other and never from the same head. Scene ids here come from the server's own code, so
	 * scenes without one get a fresh id and ids are not checked against the parent.
	 */
	@Transactional
	public CommitView commitOnHead(UUID authorId, UUID projectId, String message,
			java.util.function.UnaryOperator<Timeline> change) {
		ProjectView project = projectRows.findForUpdate(projectId).orElseThrow();
		UUID parentId = project.headCommitId();
		Timeline timeline = change.apply(commits.find(parentId).orElseThrow().timeline());
		validateRegistry(timeline);
		java.util.Set<UUID> assetIds = assetReferences.requireUsable(project, timeline);
		Timeline assigned = timeline.withScenes(
				timeline.scenes().stream().map(scene -> scene.id() == null ? scene.withId(Ids.newId()) : scene).toList());
		CommitView commit = commits.insert(Ids.newId(), projectId, parentId, message, assigned, authorId);
		assetReferences.record(commit, assetIds);
		blames.record(commit);
		projectRows.advanceHead(projectId, parentId, commit.id());
		published(commit, project.workspaceId());
		return commit;
	}

	private void published(CommitView commit, UUID workspaceId) {
		events.publishEvent(new CommitCreated(commit.id(), commit.projectId(), workspaceId, commit.parentCommitId(),
				commit.authorId(), commit.createdAt()));
	}

	/**
	 * Appends a computed storyboard (a merge, a revert, a cherry-pick) on {@code expectedHead}, with
	 * a second parent for a merge. The assets are checked against the history that includes the new
	 * commit, so what a merge brings in is usable and nothing else is; the head moves only if it is
	 * still {@code expectedHead} (409 {@code stale_parent} otherwise, and the transaction rolls back).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	CommitView append(ProjectView project, UUID expectedHead, @Nullable UUID mergeParentId, String message,
			Timeline timeline, UUID authorId) {
		validateRegistry(timeline);
		CommitView commit = commits.insert(Ids.newId(), project.id(), expectedHead, mergeParentId, message, timeline,
				authorId);
		Set<UUID> assetIds = assetReferences.requireUsable(project, timeline);
		assetReferences.record(commit, assetIds);
		blames.record(commit);
		if (!projectRows.advanceHead(project.id(), expectedHead, commit.id())) {
			throw staleParent(expectedHead, projectRows.find(project.id()).orElseThrow().headCommitId());
		}
		published(commit, project.workspaceId());
		return commit;
	}

	/**
	 * The commit a reference names in the project's history: a commit id, or the name of one of the
	 * project's tags. 404 when it names nothing there, 400 when it could name nothing.
	 */
	public CommitView resolve(UUID projectId, String reference) {
		if (parseId(reference).isEmpty() && !reference.matches(TagService.NAME)) {
			throw ProblemException.badRequest("invalid_parameter",
					"'" + reference + "' is neither a commit id nor a tag name.");
		}
		UUID id = parseId(reference).or(() -> tags.find(projectId, reference)).orElse(null);
		if (id == null || !commits.inHistory(projectId, id)) {
			throw ProblemException.notFound("commit", reference);
		}
		return commits.find(id).orElseThrow();
	}

	/** As {@link #resolve}, or the project's head when no reference is given. */
	public CommitView resolveOrHead(ProjectView project, @Nullable String reference) {
		return reference == null ? commits.find(project.headCommitId()).orElseThrow() : resolve(project.id(), reference);
	}

	static Optional<UUID> parseId(String reference) {
		if (reference.length() != 36) {
			return Optional.empty();
		}
		try {
			return Optional.of(UUID.fromString(reference));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/** The project's history newest first, merged-in commits included (see {@link Commits#page}). */
	public Page<CommitView> list(Caller caller, UUID projectId, @Nullable UUID after, int limit) {
		projects.readable(caller, projectId);
		if (after != null) {
			visibleCommit(projectId, after);
		}
		return Page.of(commits.page(projectId, after, limit + 1), limit, CommitView::id);
	}

	/** A commit of the project's history, by id or by one of the project's tags. */
	public CommitView get(Caller caller, UUID projectId, String reference) {
		projects.readable(caller, projectId);
		return resolve(projectId, reference);
	}

	/**
	 * A commit of the project's history, for work the caller was already authorized for (a job
	 * checked at submission). Empty when the commit is not in that history.
	 */
	public java.util.Optional<CommitView> inHistory(UUID projectId, UUID commitId) {
		return commits.inHistory(projectId, commitId) ? commits.find(commitId) : java.util.Optional.empty();
	}

	private CommitView visibleCommit(UUID projectId, UUID commitId) {
		if (!commits.inHistory(projectId, commitId)) {
			throw ProblemException.notFound("commit", commitId);
		}
		return commits.find(commitId).orElseThrow();
	}

	/**
	 * New scenes get server ids. A scene that names an id keeps it, but only if the parent commit
	 * has a scene with that id: clients never mint ids.
	 */
	private static Timeline assignSceneIds(Timeline requested, Timeline parent) {
		validateRegistry(requested);
		Set<UUID> known = new HashSet<>();
		parent.scenes().forEach(scene -> known.add(scene.id()));
		Set<UUID> seen = new HashSet<>();
		List<Scene> scenes = new ArrayList<>();
		for (int i = 0; i < requested.scenes().size(); i++) {
			Scene scene = requested.scenes().get(i);
			if (scene.id() == null) {
				scenes.add(scene.withId(Ids.newId()));
				continue;
			}
			if (!known.contains(scene.id())) {
				throw ProblemException.badRequest("unknown_scene_id", "timeline.scenes[" + i + "].id " + scene.id()
						+ " is not a scene of the parent commit; omit the id for a new scene.");
			}
			if (!seen.add(scene.id())) {
				throw ProblemException.badRequest("duplicate_scene_id",
						"timeline.scenes[" + i + "].id " + scene.id() + " appears twice.");
			}
			scenes.add(scene);
		}
		return requested.withScenes(scenes);
	}

	/** Tags are unique, match their kind, and every scene tag names an entry of the registry. */
	static void validateRegistry(Timeline timeline) {
		Set<String> tags = new HashSet<>();
		for (RegistryEntry entry : timeline.entries()) {
			if (!tags.add(entry.tag())) {
				throw ProblemException.badRequest("duplicate_tag", "Registry tag " + entry.tag() + " appears twice.");
			}
			if (!entry.tag().startsWith(RegistryEntry.prefix(entry.kind()) + "_")) {
				throw ProblemException.badRequest("tag_kind_mismatch",
						"Registry tag " + entry.tag() + " does not fit kind " + entry.kind() + ".");
			}
		}
		for (int i = 0; i < timeline.scenes().size(); i++) {
			for (String tag : timeline.scenes().get(i).tags()) {
				if (!tags.contains(tag)) {
					throw ProblemException.badRequest("unknown_tag",
							"timeline.scenes[" + i + "] uses " + tag + ", which is not in the registry.");
				}
			}
		}
	}

	private static ProblemException staleParent(UUID expected, UUID head) {
		return new ProblemException(org.springframework.http.HttpStatus.CONFLICT, "stale_parent",
				"The project head moved: parentCommitId " + expected + " is not the head " + head
						+ "; rebase your change on the head and commit again.",
				java.util.Map.of("headCommitId", head));
	}

}
