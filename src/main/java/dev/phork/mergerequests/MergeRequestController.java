package dev.phork.mergerequests;

import dev.phork.common.ApiAnswers;
import dev.phork.common.Cursor;
import dev.phork.common.Page;
import dev.phork.common.ProblemException;
import dev.phork.history.MergeService.Resolution;
import dev.phork.identity.Caller;
import dev.phork.mergerequests.MergeRequestService.CommentView;
import dev.phork.mergerequests.MergeRequestService.MergeRequestDetail;
import dev.phork.mergerequests.MergeRequestService.MergeRequestView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "merge-requests")
class MergeRequestController {

	private final MergeRequestService requests;

	MergeRequestController(MergeRequestService requests) {
		this.requests = requests;
	}

	record CreateBody(@NotNull UUID sourceProjectId,
			@NotBlank @Size(max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String title,
			@Size(max = 10_000) @Nullable String description) {
	}

	record CommentBody(@NotBlank @Size(max = 10_000) String body) {
	}

	record MergeBody(@Size(max = 1000) @Nullable List<@Valid @NotNull Resolution> resolutions) {
	}

	@PostMapping("/projects/{id}/merge-requests")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createMergeRequest", summary = "Offers a source project's work to this project")
	@ApiAnswers(problems = { "project_not_found", "insufficient_role", "same_project", "no_shared_history", "nothing_to_merge", "visibility_exceeds_source" })
	MergeRequestView create(Caller caller, @PathVariable UUID id, @Valid @RequestBody CreateBody body) {
		return requests.create(caller, id, body.sourceProjectId(), body.title().strip(), body.description());
	}

	@GetMapping("/projects/{id}/merge-requests")
	@Operation(operationId = "listProjectMergeRequests", summary = "The merge requests into this project, newest first")
	@ApiAnswers(problems = { "project_not_found" })
	Page<MergeRequestView> listForTarget(Caller caller, @PathVariable UUID id,
			@RequestParam(required = false) @Nullable String status, @RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable Integer limit) {
		return requests.byTarget(caller, id, status(status), Cursor.decode(cursor), Cursor.limit(limit));
	}

	@GetMapping("/merge-requests")
	@Operation(operationId = "listMergeRequests", summary = "Merge requests by target or by source project")
	@ApiAnswers(problems = { "project_not_found" })
	Page<MergeRequestView> list(Caller caller, @RequestParam(required = false) @Nullable UUID targetProjectId,
			@RequestParam(required = false) @Nullable UUID sourceProjectId,
			@RequestParam(required = false) @Nullable String status, @RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable Integer limit) {
		if ((targetProjectId == null) == (sourceProjectId == null)) {
			throw ProblemException.badRequest("validation_failed", "Give exactly one of targetProjectId and sourceProjectId.");
		}
		if (targetProjectId != null) {
			return requests.byTarget(caller, targetProjectId, status(status), Cursor.decode(cursor), Cursor.limit(limit));
		}
		return requests.bySource(caller, sourceProjectId, status(status), Cursor.decode(cursor), Cursor.limit(limit));
	}

	@GetMapping("/merge-requests/{id}")
	@Operation(operationId = "getMergeRequest",
			summary = "A merge request with its diff, its conflicts and the plan's cost after merging")
	@ApiAnswers(problems = { "merge_request_not_found" })
	MergeRequestDetail get(Caller caller, @PathVariable UUID id) {
		return requests.get(caller, id);
	}

	@PostMapping("/merge-requests/{id}/comments")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "commentMergeRequest", summary = "Comments on an open merge request")
	@ApiAnswers(problems = { "merge_request_not_found", "forbidden", "merge_request_not_open" })
	CommentView comment(Caller caller, @PathVariable UUID id, @Valid @RequestBody CommentBody body) {
		return requests.comment(caller, id, body.body());
	}

	@GetMapping("/merge-requests/{id}/comments")
	@Operation(operationId = "listMergeRequestComments", summary = "A merge request's comments, oldest first")
	@ApiAnswers(problems = { "merge_request_not_found" })
	Page<CommentView> comments(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable Integer limit) {
		return requests.comments(caller, id, Cursor.decode(cursor), Cursor.limit(limit));
	}

	@PostMapping("/merge-requests/{id}/close")
	@Operation(operationId = "closeMergeRequest", summary = "Closes an open merge request without merging it")
	@ApiAnswers(problems = { "merge_request_not_found", "insufficient_role", "merge_request_not_open" })
	MergeRequestView close(Caller caller, @PathVariable UUID id) {
		return requests.close(caller, id);
	}

	@PostMapping("/merge-requests/{id}/merge")
	@Operation(operationId = "mergeMergeRequest", summary = "Merges the source's head into the target (a writer of the target)")
	@ApiAnswers(problems = { "merge_request_not_found", "project_not_found", "insufficient_role", "commit_not_found", "merge_conflict", "stale_parent", "invalid_resolution", "unknown_resolution", "invalid_asset_reference", "wrong_asset_kind", "unknown_scene", "duplicate_tag", "tag_kind_mismatch", "unknown_tag", "duplicate_scene_id", "unknown_scene_id", "merge_request_not_open", "nothing_to_merge", "no_shared_history", "visibility_exceeds_source" })
	MergeRequestView merge(Caller caller, @PathVariable UUID id, @Valid @RequestBody(required = false) @Nullable MergeBody body) {
		return requests.merge(caller, id, body == null || body.resolutions() == null ? List.of() : body.resolutions());
	}

	private static @Nullable String status(@Nullable String status) {
		if (status != null && !List.of("open", "merged", "closed").contains(status)) {
			throw ProblemException.badRequest("validation_failed", "status is one of open, merged, closed.");
		}
		return status;
	}

}
