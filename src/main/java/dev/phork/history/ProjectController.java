package dev.phork.history;

import dev.phork.common.ApiAnswers;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import dev.phork.common.Visibility;
import dev.phork.common.VisibleText;
import dev.phork.assets.AssetView;
import dev.phork.common.Cursor;
import dev.phork.common.Page;
import dev.phork.common.ProblemException;
import dev.phork.history.CommitService.CommitCommand;
import dev.phork.history.ProjectService.CreateProjectCommand;
import dev.phork.history.ProjectService.Created;
import dev.phork.history.ProjectService.ForkCommand;
import dev.phork.history.ProjectService.ForkNode;
import dev.phork.history.ProjectService.Lineage;
import dev.phork.identity.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "projects")
@RestController
@RequestMapping("/projects")
class ProjectController {

	private final ProjectService projects;

	private final CommitService commits;

	private final VersionService versions;

	ProjectController(ProjectService projects, CommitService commits, VersionService versions) {
		this.projects = projects;
		this.commits = commits;
		this.versions = versions;
	}

	record CreateProjectRequest(@NotNull UUID workspaceId, @NotBlank @Size(max = 200) String name,
			@Size(max = 5000) @Nullable String description, @Nullable Visibility visibility) {
	}

	record UpdateProjectRequest(@Size(min = 1, max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") @Nullable String name,
			@Size(max = 5000) @Nullable String description, @Nullable Visibility visibility) {
	}

	record CommitRequest(@NotNull @VisibleText @Size(min = 1, max = 2000) String message, @Nullable UUID parentCommitId,
			@NotNull @Valid Timeline timeline) {
	}

	record ForkRequest(@NotNull UUID workspaceId, @Size(min = 1, max = 100) @Nullable String commitId,
			@Size(min = 1, max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") @Nullable String name,
			@Nullable Visibility visibility, @Valid @Nullable ForkEdits edits) {
	}

	@Operation(operationId = "createProject", summary = "Create a project with an empty first commit (idempotent with Idempotency-Key)")
	@ApiAnswers(success = { 201, 200 }, problems = { "workspace_not_found", "insufficient_role", "idempotency_key_reused", "invalid_idempotency_key" })
	@PostMapping
	ResponseEntity<ProjectView> create(Caller caller, @Valid @RequestBody CreateProjectRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
		if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
			throw ProblemException.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1 to 200 characters.");
		}
		Created created = projects.create(caller, new CreateProjectCommand(request.workspaceId(), request.name().strip(),
				request.description(), request.visibility()), idempotencyKey);
		return ResponseEntity.status(created.created() ? HttpStatus.CREATED : HttpStatus.OK).body(created.project());
	}

	@Operation(operationId = "listProjects", summary = "Your projects, newest first")
	@ApiAnswers(problems = { "workspace_not_found" })
	@GetMapping
	Page<ProjectView> list(Caller caller, @RequestParam(required = false) @Nullable UUID workspaceId,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(required = false) @Nullable Integer limit) {
		return projects.list(caller, workspaceId, Cursor.decode(cursor), Cursor.limit(limit));
	}

	@Operation(operationId = "getProject", summary = "Read a project")
	@ApiAnswers(problems = { "project_not_found" })
	@GetMapping("/{id}")
	ProjectView get(Caller caller, @PathVariable UUID id) {
		return projects.get(caller, id);
	}

	@Operation(operationId = "updateProject", summary = "Change a project's name, description or visibility")
	@ApiAnswers(problems = { "project_not_found", "insufficient_role", "visibility_exceeds_source" })
	@PatchMapping("/{id}")
	ProjectView update(Caller caller, @PathVariable UUID id, @Valid @RequestBody UpdateProjectRequest request) {
		return projects.update(caller, id, request.name() == null ? null : request.name().strip(), request.description(),
				request.visibility());
	}

	@Operation(operationId = "createCommit", summary = "Append a commit (a timeline snapshot) to the head")
	@ApiAnswers(problems = { "project_not_found", "insufficient_role", "stale_parent", "invalid_asset_reference", "wrong_asset_kind", "duplicate_scene_id", "unknown_scene_id", "duplicate_tag", "tag_kind_mismatch", "unknown_tag" })
	@PostMapping("/{id}/commits")
	@ResponseStatus(HttpStatus.CREATED)
	CommitView commit(Caller caller, @PathVariable UUID id, @Valid @RequestBody CommitRequest request) {
		return commits.commit(caller, id, new CommitCommand(request.message(), request.parentCommitId(), request.timeline()));
	}

	@Operation(operationId = "listCommits", summary = "A project's history, newest first")
	@ApiAnswers(problems = { "project_not_found" })
	@GetMapping("/{id}/commits")
	Page<CommitView> commits(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable Integer limit) {
		return commits.list(caller, id, Cursor.decode(cursor), Cursor.limit(limit));
	}

	@Operation(operationId = "getCommit", summary = "Read a commit of the project's history")
	@ApiAnswers(problems = { "project_not_found", "commit_not_found" })
	@GetMapping("/{id}/commits/{commitId}")
	CommitView commit(Caller caller, @PathVariable UUID id, @PathVariable String commitId) {
		return commits.get(caller, id, commitId);
	}

	@Operation(operationId = "forkProject", summary = "Fork a project at a commit, optionally with edits")
	@ApiAnswers(problems = { "project_not_found", "commit_not_found", "workspace_not_found", "insufficient_role", "visibility_exceeds_source", "edits_unsupported", "no_registry", "unknown_scene", "unknown_tag", "invalid_order", "client_scene_id", "duplicate_tag", "tag_kind_mismatch", "asset_not_found", "not_an_image", "image_too_large", "unreadable_reference" })
	@PostMapping("/{id}/fork")
	@ResponseStatus(HttpStatus.CREATED)
	ProjectView fork(Caller caller, @PathVariable UUID id, @Valid @RequestBody ForkRequest request) {
		return projects.fork(caller, id, new ForkCommand(request.workspaceId(), request.commitId(),
				request.name() == null ? null : request.name().strip(), request.visibility(), request.edits()));
	}

	@Operation(operationId = "getProjectAsset", summary = "Read an asset through a project that may use it")
	@ApiAnswers(problems = { "project_not_found", "asset_not_found" })
	@GetMapping("/{id}/assets/{assetId}")
	AssetView asset(Caller caller, @PathVariable UUID id, @PathVariable UUID assetId) {
		return projects.asset(caller, id, assetId);
	}

	@Operation(operationId = "listVersions", summary = "A project's successful renders, newest first")
	@ApiAnswers(problems = { "project_not_found" })
	@GetMapping("/{id}/versions")
	Page<VersionService.VersionView> versions(Caller caller, @PathVariable UUID id,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(required = false) @Nullable Integer limit) {
		return versions.list(caller, id, Cursor.decode(cursor), Cursor.limit(limit));
	}

	@Operation(operationId = "getProjectLineage", summary = "A project's root, ancestors and children")
	@ApiAnswers(problems = { "project_not_found" })
	@GetMapping("/{id}/lineage")
	Lineage lineage(Caller caller, @PathVariable UUID id) {
		return projects.lineage(caller, id);
	}

	@Operation(operationId = "listProjectForks", summary = "A project's descendant tree, with depth")
	@ApiAnswers(problems = { "project_not_found" })
	@GetMapping("/{id}/forks")
	Page<ForkNode> forks(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable Integer limit) {
		return projects.forks(caller, id, Cursor.decode(cursor), Cursor.limit(limit));
	}

}
