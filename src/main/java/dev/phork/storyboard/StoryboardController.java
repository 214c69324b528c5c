package dev.phork.storyboard;

import dev.phork.common.ApiAnswers;
import dev.phork.history.ForkEdits;
import dev.phork.history.StoryboardSettings;
import dev.phork.identity.Caller;
import dev.phork.storyboard.PipelineService.GenerateCommand;
import dev.phork.storyboard.PipelineService.PipelineView;
import dev.phork.storyboard.PipelineService.Started;
import dev.phork.storyboard.StoryboardService.EntryView;
import dev.phork.storyboard.StoryboardService.NewEntry;
import dev.phork.storyboard.StoryboardService.RegistryChange;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@Tag(name = "storyboards")
@RestController
class StoryboardController {

	private final PipelineService pipelines;

	private final StoryboardService storyboards;

	StoryboardController(PipelineService pipelines, StoryboardService storyboards) {
		this.pipelines = pipelines;
		this.storyboards = storyboards;
	}

	@Schema(example = "{\"logline\": \"A lighthouse keeper finds a message in a bottle.\", \"sceneCount\": 1}")
	record GenerateRequest(@Size(max = 20_000) @Nullable String logline, @Size(max = 100_000) @Nullable String script,
			@Min(0) @Max(200) @Nullable Integer sceneCount, @Valid @Nullable StoryboardSettings settings) {
	}

	record RegenerateRequest(@Size(min = 1, max = 100) @Nullable String commitId) {
	}

	record EntryRequest(
			@NotBlank @Pattern(regexp = "character|object|location|style") @Schema(allowableValues = { "character", "object", "location", "style" }) String kind,
			@NotBlank @Size(max = 100) String name, @Size(max = 2000) @Nullable String description,
			@Nullable UUID referenceAssetId) {
	}

	record UploadsRequest(@NotNull @NotEmpty @Size(max = ForkEdits.MAX_NEW_UPLOADS) List<@NotNull UUID> assetIds) {
	}

	record Items<T>(List<T> items) {
	}

	@Operation(operationId = "generateProject", summary = "Write a storyboard and run keyframes, clips, audio and the render (dry run: the plan and estimate)")
	@ApiAnswers(success = { 202, 200 }, problems = { "project_not_found", "insufficient_role", "prompt_blocked", "render_too_long", "insufficient_credits", "daily_quota_exceeded", "empty_storyboard", "no_provider" })
	@PostMapping("/projects/{id}/generate")
	ResponseEntity<Started> generate(Caller caller, @PathVariable UUID id, @Valid @RequestBody GenerateRequest request,
			@RequestParam(defaultValue = "false") boolean dryRun) {
		String text = request.script() != null ? request.script() : request.logline();
		Started started = pipelines.generate(caller, id,
				new GenerateCommand(text == null ? "" : text, request.sceneCount() == null ? 0 : request.sceneCount(), request.settings()), dryRun);
		return ResponseEntity.status(dryRun ? HttpStatus.OK : HttpStatus.ACCEPTED).body(started);
	}

	@Operation(operationId = "regenerateProject", summary = "Run only the stale work of a commit, then the render")
	@ApiAnswers(success = { 202, 200 }, problems = { "project_not_found", "commit_not_found", "insufficient_role", "prompt_blocked", "render_too_long", "insufficient_credits", "daily_quota_exceeded", "empty_storyboard", "no_provider" })
	@PostMapping("/projects/{id}/regenerate")
	ResponseEntity<Started> regenerate(Caller caller, @PathVariable UUID id,
			@Valid @RequestBody(required = false) @Nullable RegenerateRequest request,
			@RequestParam(defaultValue = "false") boolean dryRun) {
		Started started = pipelines.regenerate(caller, id, request == null ? null : request.commitId(), dryRun);
		return ResponseEntity.status(dryRun ? HttpStatus.OK : HttpStatus.ACCEPTED).body(started);
	}

	@Operation(operationId = "getPlan", summary = "What a commit's generation would run and cost")
	@ApiAnswers(problems = { "project_not_found", "commit_not_found", "empty_storyboard" })
	@GetMapping("/projects/{id}/plan")
	Plan plan(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable String commitId) {
		return pipelines.plan(caller, id, commitId);
	}

	@Operation(operationId = "getPipeline", summary = "Read a pipeline")
	@ApiAnswers(problems = { "pipeline_not_found" })
	@GetMapping("/pipelines/{id}")
	PipelineView pipeline(Caller caller, @PathVariable UUID id) {
		return pipelines.get(caller, id);
	}

	@Operation(operationId = "streamPipelineEvents", summary = "A pipeline's state as Server-Sent Events until it ends")
	@ApiAnswers(events = PipelineView.class, problems = { "pipeline_not_found", "too_many_streams" })
	@GetMapping(path = "/pipelines/{id}/events", produces = "text/event-stream")
	SseEmitter pipelineEvents(Caller caller, @PathVariable UUID id) {
		return pipelines.events(caller, id);
	}

	@Operation(operationId = "getRegistry", summary = "The registry of the project's head")
	@ApiAnswers(problems = { "project_not_found" })
	@GetMapping("/projects/{id}/registry")
	Items<EntryView> registry(Caller caller, @PathVariable UUID id) {
		return new Items<>(storyboards.registry(caller, id));
	}

	@Operation(operationId = "addRegistryEntry", summary = "Add a registry entry and commit it")
	@ApiAnswers(problems = { "project_not_found", "insufficient_role", "asset_not_found", "not_an_image", "no_registry", "image_too_large", "unreadable_reference", "duplicate_tag", "stale_parent" })
	@PostMapping("/projects/{id}/registry/entries")
	@ResponseStatus(HttpStatus.CREATED)
	RegistryChange addEntry(Caller caller, @PathVariable UUID id, @Valid @RequestBody EntryRequest request) {
		return storyboards.addEntry(caller, id,
				new NewEntry(request.kind(), request.name().strip(), request.description(), request.referenceAssetId()));
	}

	@Operation(operationId = "addRegistryUploads", summary = "Manifest uploaded pictures into registry entries and commit them")
	@ApiAnswers(problems = { "project_not_found", "insufficient_role", "asset_not_found", "not_an_image", "no_registry", "image_too_large", "unreadable_reference", "duplicate_tag", "stale_parent" })
	@PostMapping("/projects/{id}/registry/uploads")
	@ResponseStatus(HttpStatus.CREATED)
	RegistryChange uploads(Caller caller, @PathVariable UUID id, @Valid @RequestBody UploadsRequest request) {
		return storyboards.manifestUploads(caller, id, request.assetIds());
	}

	@Operation(operationId = "diffCommits", summary = "What changed between two commits of the project")
	@ApiAnswers(problems = { "project_not_found", "commit_not_found" })
	@GetMapping("/projects/{id}/diff")
	Diffs.Diff diff(Caller caller, @PathVariable UUID id, @RequestParam String from, @RequestParam String to) {
		return storyboards.diff(caller, id, from, to);
	}

}
