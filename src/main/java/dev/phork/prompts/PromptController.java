package dev.phork.prompts;

import dev.phork.common.ApiAnswers;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import dev.phork.common.Cursor;
import dev.phork.common.Page;
import dev.phork.common.Visibility;
import dev.phork.identity.Caller;
import dev.phork.prompts.PromptService.ForkNode;
import dev.phork.prompts.PromptService.Lineage;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "prompts")
@RestController
@RequestMapping("/prompts")
class PromptController {

	private final PromptService prompts;

	PromptController(PromptService prompts) {
		this.prompts = prompts;
	}

	record CreatePromptRequest(@NotNull UUID workspaceId, @NotBlank @Size(max = 200) String title,
			@NotNull @Size(max = 20_000) String body, @Nullable Visibility visibility) {
	}

	record ForkPromptRequest(@NotNull UUID workspaceId,
			@Size(min = 1, max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") @Nullable String title,
			@Size(max = 20_000) @Nullable String body) {
	}

	@Operation(operationId = "createPrompt", summary = "Add a prompt to the library")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role" })
	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	PromptView create(Caller caller, @Valid @RequestBody CreatePromptRequest request) {
		return prompts.create(caller, request.workspaceId(), request.title().strip(), request.body(), request.visibility());
	}

	@Operation(operationId = "listPrompts", summary = "Prompts of your workspaces, newest first")
	@ApiAnswers(problems = { "workspace_not_found" })
	@GetMapping
	Page<PromptView> list(Caller caller, @RequestParam(required = false) @Nullable UUID workspaceId,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(required = false) @Nullable Integer limit) {
		return prompts.list(caller, workspaceId, Cursor.decode(cursor), Cursor.limit(limit));
	}

	@Operation(operationId = "getPrompt", summary = "Read a prompt")
	@ApiAnswers(problems = { "prompt_not_found" })
	@GetMapping("/{id}")
	PromptView get(Caller caller, @PathVariable UUID id) {
		return prompts.get(caller, id);
	}

	@Operation(operationId = "forkPrompt", summary = "Fork a prompt, optionally edited")
	@ApiAnswers(problems = { "prompt_not_found", "workspace_not_found", "insufficient_role" })
	@PostMapping("/{id}/fork")
	@ResponseStatus(HttpStatus.CREATED)
	PromptView fork(Caller caller, @PathVariable UUID id, @Valid @RequestBody ForkPromptRequest request) {
		return prompts.fork(caller, id, request.workspaceId(), request.title() == null ? null : request.title().strip(),
				request.body());
	}

	@Operation(operationId = "getPromptLineage", summary = "A prompt's root, ancestors and children")
	@ApiAnswers(problems = { "prompt_not_found" })
	@GetMapping("/{id}/lineage")
	Lineage lineage(Caller caller, @PathVariable UUID id) {
		return prompts.lineage(caller, id);
	}

	@Operation(operationId = "listPromptChildren", summary = "A prompt's direct forks")
	@ApiAnswers(problems = { "prompt_not_found" })
	@GetMapping("/{id}/children")
	Page<PromptView> children(Caller caller, @PathVariable UUID id) {
		return new Page<>(prompts.children(caller, id), null);
	}

	@Operation(operationId = "listPromptForks", summary = "A prompt's descendant tree, with depth")
	@ApiAnswers(problems = { "prompt_not_found" })
	@GetMapping("/{id}/forks")
	Page<ForkNode> forks(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable Integer limit) {
		return prompts.forks(caller, id, Cursor.decode(cursor), Cursor.limit(limit));
	}

}
