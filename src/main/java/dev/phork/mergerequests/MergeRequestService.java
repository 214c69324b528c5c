package dev.phork.mergerequests;

import dev.phork.common.Ids;
import dev.phork.common.Page;
import dev.phork.common.ProblemException;
import dev.phork.history.CommitService;
import dev.phork.history.CommitView;
import dev.phork.history.MergeService;
import dev.phork.history.MergeService.Conflict;
import dev.phork.history.MergeService.Preview;
import dev.phork.history.MergeService.Resolution;
import dev.phork.history.ProjectService;
import dev.phork.history.ProjectView;
import dev.phork.identity.Caller;
import dev.phork.identity.WorkspaceAccess;
import dev.phork.mergerequests.MergeRequests.Row;
import dev.phork.storyboard.Diffs;
import dev.phork.storyboard.PipelineService;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Merge requests. Whoever reads the target reads its requests; whoever may share the source with
 * the target (as merging it would need) may open one; a writer of the target merges it, the one who
 * opened it or a writer of the target closes it, and the one who opened it or a member of the
 * target's workspace comments. A merged or closed request never changes again (the database
 * refuses it too); every change locks the request first, so of a merge and a close racing exactly
 * one happens.
 */
@Service
public class MergeRequestService {

	private final MergeRequests requests;

	private final ProjectService projects;

	private final CommitService commits;

	private final MergeService merges;

	private final PipelineService pipelines;

	private final WorkspaceAccess access;

	MergeRequestService(MergeRequests requests, ProjectService projects, CommitService commits, MergeService merges,
			PipelineService pipelines, WorkspaceAccess access) {
		this.requests = requests;
		this.projects = projects;
		this.commits = commits;
		this.merges = merges;
		this.pipelines = pipelines;
		this.access = access;
	}

	public record MergeRequestView(UUID id, UUID targetProjectId, UUID sourceProjectId, String title,
			@Nullable String description, String status, UUID createdBy, Instant createdAt, Instant updatedAt,
			@Nullable UUID mergeCommitId, @Nullable UUID finishedBy, @Nullable Instant finishedAt) {

		static MergeRequestView of(Row row) {
			return new MergeRequestView(row.id(), row.targetProjectId(), row.sourceProjectId(), row.title(),
					row.description(), row.status(), row.createdBy(), row.createdAt(), row.updatedAt(), row.mergeCommitId(),
					row.finishedBy(), row.finishedAt());
		}

	}

	/**
	 * A request with what merging it now would do, while it is open: the commits of the merge, the
	 * diff of what the source changed since the merge base, the conflicts, and the credits the plan
	 * of the merged storyboard costs (null while conflicts remain).
	 */
	public record MergeRequestDetail(MergeRequestView request, @Nullable UUID baseCommitId,
			@Nullable UUID targetCommitId, @Nullable UUID sourceCommitId, Diffs.@Nullable Diff diff,
			List<Conflict> conflicts, boolean mergeable, @Nullable Long planCost) {
	}

	public record CommentView(UUID id, UUID mergeRequestId, UUID authorId, String body, Instant createdAt) {

		static CommentView of(MergeRequests.Comment c) {
			return new CommentView(c.id(), c.mergeRequestId(), c.authorId(), c.body(), c.createdAt());
		}

	}

	@Transactional
	public MergeRequestView create(Caller caller, UUID targetId, UUID sourceId, String title,
			@Nullable String description) {
		ProjectView target = projects.readable(caller, targetId);
		ProjectView source = projects.readable(caller, sourceId);
		merges.requireOffer(caller, target, source);
		return MergeRequestView.of(requests.insert(Ids.newId(), targetId, sourceId, title, description, caller.userId()));
	}

	public Page<MergeRequestView> byTarget(Caller caller, UUID targetId, @Nullable String status, @Nullable UUID before,
			int limit) {
		projects.readable(caller, targetId);
		List<Row> rows = requests.page("target_project_id", targetId, status, before, limit + 1);
		return Page.of(rows.stream().map(MergeRequestView::of).toList(), limit, MergeRequestView::id);
	}

	/** The requests from a project the caller reads, to targets the caller reads. */
	public Page<MergeRequestView> bySource(Caller caller, UUID sourceId, @Nullable String status, @Nullable UUID before,
			int limit) {
		projects.readable(caller, sourceId);
		List<Row> rows = requests.page("source_project_id", sourceId, status, before, limit + 1);
		String next = rows.size() > limit ? dev.phork.common.Cursor.encode(rows.get(limit - 1).id()) : null;
		List<MergeRequestView> items = rows.stream()
			.limit(limit)
			.filter(row -> readsTarget(caller, row))
			.map(MergeRequestView::of)
			.toList();
		return new Page<>(items, next);
	}

	public MergeRequestDetail get(Caller caller, UUID id) {
		Row row = readable(caller, id);
		MergeRequestView view = MergeRequestView.of(row);
		if (!row.open()) {
			return new MergeRequestDetail(view, null, null, null, null, List.of(), false, null);
		}
		Preview preview = merges.preview(row.targetProjectId(), row.sourceProjectId());
		CommitView base = commits.inHistory(row.targetProjectId(), preview.base()).orElseThrow();
		CommitView theirs = commits.inHistory(row.sourceProjectId(), preview.theirs()).orElseThrow();
		Diffs.Diff diff = Diffs.of(base.id(), base.timeline(), theirs.id(), theirs.timeline());
		Long cost = null;
		if (preview.merged() != null) {
			ProjectView target = projects.readable(caller, row.targetProjectId());
			cost = pipelines.planOf(caller, target, preview.merged()).totalCost();
		}
		return new MergeRequestDetail(view, preview.base(), preview.ours(), preview.theirs(), diff, preview.conflicts(),
				preview.merged() != null, cost);
	}

	@Transactional
	public CommentView comment(Caller caller, UUID id, String body) {
		Row row = readable(caller, id);
		if (!row.createdBy().equals(caller.userId())) {
			ProjectView target = projects.readable(caller, row.targetProjectId());
			if (!access.isMember(caller, target.workspaceId())) {
				throw ProblemException.forbidden(
						"Only the request's author and members of the target's workspace comment on a merge request.");
			}
		}
		requireOpen(requests.lock(id).orElseThrow());
		return CommentView.of(requests.comment(Ids.newId(), id, caller.userId(), body));
	}

	public Page<CommentView> comments(Caller caller, UUID id, @Nullable UUID after, int limit) {
		readable(caller, id);
		return Page.of(requests.comments(id, after, limit + 1).stream().map(CommentView::of).toList(), limit,
				CommentView::id);
	}

	@Transactional
	public MergeRequestView close(Caller caller, UUID id) {
		Row row = readable(caller, id);
		if (!row.createdBy().equals(caller.userId())) {
			projects.writable(caller, row.targetProjectId());
		}
		requireOpen(requests.lock(id).orElseThrow());
		return MergeRequestView.of(requests.finish(id, "closed", null, caller.userId()));
	}

	/**
	 * Merges the source's head into the target's, as its author offered it, in the transaction that
	 * marks the request merged: a conflict (409 {@code merge_conflict}) or any other refusal leaves
	 * the request open and the target unchanged.
	 */
	@Transactional
	public MergeRequestView merge(Caller caller, UUID id, List<Resolution> resolutions) {
		Row row = readable(caller, id);
		projects.writable(caller, row.targetProjectId());
		Row locked = requireOpen(requests.lock(id).orElseThrow());
		CommitView merge = merges.mergeOffered(caller, new Caller(locked.createdBy()), locked.targetProjectId(),
				locked.sourceProjectId(), clip("Merge request: " + locked.title()), resolutions);
		return MergeRequestView.of(requests.finish(id, "merged", merge.id(), caller.userId()));
	}

	private Row readable(Caller caller, UUID id) {
		Row row = requests.find(id).orElseThrow(() -> ProblemException.notFound("merge_request", id));
		if (!readsTarget(caller, row)) {
			throw ProblemException.notFound("merge_request", id);
		}
		return row;
	}

	private boolean readsTarget(Caller caller, Row row) {
		return projects.isReadable(caller, row.targetProjectId());
	}

	private static Row requireOpen(Row row) {
		if (!row.open()) {
			throw new ProblemException(HttpStatus.CONFLICT, "merge_request_not_open",
					"Merge request " + row.id() + " is " + row.status() + "; it cannot change.", Map.of("requestStatus", row.status()));
		}
		return row;
	}

	private static String clip(String message) {
		return message.length() <= 2000 ? message : message.substring(0, 2000);
	}

}
