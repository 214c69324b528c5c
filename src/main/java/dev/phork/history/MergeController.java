package dev.phork.history;

import dev.phork.common.ApiAnswers;
import dev.phork.common.Page;
import dev.phork.history.BlameService.Blame;
import dev.phork.history.MergeService.CherryPickCommand;
import dev.phork.history.MergeService.MergeCommand;
import dev.phork.history.MergeService.Resolution;
import dev.phork.history.MergeService.RevertCommand;
import dev.phork.history.TagService.TagView;
import dev.phork.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/projects/{id}")
@Tag(name = "history")
class MergeController {

	private final MergeService merges;

	private final BlameService blames;

	private final TagService tags;

	MergeController(MergeService merges, BlameService blames, TagService tags) {
		this.merges = merges;
		this.blames = blames;
		this.tags = tags;
	}

	record MergeRequestBody(@NotNull UUID sourceProjectId, @Size(max = 100) @Nullable String sourceCommitId,
			@Size(min = 1, max = 2000) @Nullable String message,
			@Size(max = 1000) @Nullable List<@Valid @NotNull Resolution> resolutions, @Nullable UUID parentCommitId) {
	}

	record RevertBody(@NotBlank @Size(max = 100) String commitId, @Size(min = 1, max = 2000) @Nullable String message,
			@Size(max = 1000) @Nullable List<@Valid @NotNull Resolution> resolutions, @Nullable UUID parentCommitId) {
	}

	record CherryPickBody(@NotNull UUID sourceProjectId, @NotBlank @Size(max = 100) String commitId,
			@Size(min = 1, max = 500) @Nullable List<@NotNull UUID> sceneIds,
			@Size(min = 1, max = 2000) @Nullable String message,
			@Size(max = 1000) @Nullable List<@Valid @NotNull Resolution> resolutions, @Nullable UUID parentCommitId) {
	}

	record TagBody(@NotBlank @Size(max = 100) String name, @NotBlank @Size(max = 100) String commitId) {
	}

	@PostMapping("/merge")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "mergeProject", summary = "Three-way merge of another project's commit into the head")
	@ApiAnswers(problems = { "project_not_found", "insufficient_role", "commit_not_found", "merge_conflict", "stale_parent", "invalid_resolution", "unknown_resolution", "invalid_asset_reference", "wrong_asset_kind", "unknown_scene", "duplicate_tag", "tag_kind_mismatch", "unknown_tag", "duplicate_scene_id", "unknown_scene_id", "same_project", "no_shared_history", "nothing_to_merge", "visibility_exceeds_source" })
	CommitView merge(Caller caller, @PathVariable UUID id, @Valid @RequestBody MergeRequestBody body) {
		return merges.merge(caller, id, new MergeCommand(body.sourceProjectId(), body.sourceCommitId(), body.message(),
				orEmpty(body.resolutions()), body.parentCommitId()));
	}

	@PostMapping("/revert")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "revertCommit", summary = "A new commit on the head that undoes what a commit changed")
	@ApiAnswers(problems = { "project_not_found", "insufficient_role", "commit_not_found", "merge_conflict", "stale_parent", "invalid_resolution", "unknown_resolution", "invalid_asset_reference", "wrong_asset_kind", "unknown_scene", "duplicate_tag", "tag_kind_mismatch", "unknown_tag", "duplicate_scene_id", "unknown_scene_id", "nothing_to_revert" })
	CommitView revert(Caller caller, @PathVariable UUID id, @Valid @RequestBody RevertBody body) {
		return merges.revert(caller, id,
				new RevertCommand(body.commitId(), body.message(), orEmpty(body.resolutions()), body.parentCommitId()));
	}

	@PostMapping("/cherry-pick")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "cherryPickCommit", summary = "A new commit on the head applying another commit's changes")
	@ApiAnswers(problems = { "project_not_found", "insufficient_role", "commit_not_found", "merge_conflict", "stale_parent", "invalid_resolution", "unknown_resolution", "invalid_asset_reference", "wrong_asset_kind", "unknown_scene", "duplicate_tag", "tag_kind_mismatch", "unknown_tag", "duplicate_scene_id", "unknown_scene_id", "no_shared_history", "nothing_to_pick" })
	CommitView cherryPick(Caller caller, @PathVariable UUID id, @Valid @RequestBody CherryPickBody body) {
		return merges.cherryPick(caller, id, new CherryPickCommand(body.sourceProjectId(), body.commitId(),
				body.sceneIds(), body.message(), orEmpty(body.resolutions()), body.parentCommitId()));
	}

	@GetMapping("/blame")
	@Operation(operationId = "blameProject", summary = "Per scene and field, the commit, author and project that set it")
	@ApiAnswers(problems = { "project_not_found", "commit_not_found" })
	Blame blame(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable String commitId) {
		return blames.blame(caller, id, commitId);
	}

	@PostMapping("/tags")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createTag", summary = "Names a commit of the project's history")
	@ApiAnswers(problems = { "project_not_found", "insufficient_role", "commit_not_found", "invalid_tag_name", "tag_exists" })
	TagView createTag(Caller caller, @PathVariable UUID id, @Valid @RequestBody TagBody body) {
		return tags.create(caller, id, body.name(), body.commitId());
	}

	@GetMapping("/tags")
	@Operation(operationId = "listTags", summary = "The project's tags by name")
	@ApiAnswers(problems = { "project_not_found" })
	Page<TagView> listTags(Caller caller, @PathVariable UUID id) {
		return new Page<>(tags.list(caller, id), null);
	}

	@DeleteMapping("/tags/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "deleteTag", summary = "Removes a tag (the commit stays)")
	@ApiAnswers(problems = { "project_not_found", "insufficient_role", "tag_not_found", "invalid_tag_name" })
	void deleteTag(Caller caller, @PathVariable UUID id, @PathVariable String name) {
		tags.delete(caller, id, name);
	}

	private static List<Resolution> orEmpty(@Nullable List<Resolution> resolutions) {
		return resolutions == null ? List.of() : resolutions;
	}

}
