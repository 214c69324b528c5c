package dev.phork.prompts;

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

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	PromptView create(Caller caller, @Valid @RequestBody CreatePromptRequest request) {
		return prompts.create(caller, request.workspaceId(), request.title().strip(), request.body(), request.visibility());
	}

	@GetMapping
	Page<PromptView> list(Caller caller, @RequestParam(required = false) @Nullable UUID workspaceId,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(required = false) @Nullable Integer limit) {
		return prompts.list(caller, workspaceId, Cursor.decode(cursor), Cursor.limit(limit));
	}

	@GetMapping("/{id}")
	PromptView get(Caller caller, @PathVariable UUID id) {
		return prompts.get(caller, id);
	}

	@PostMapping("/{id}/fork")
	@ResponseStatus(HttpStatus.CREATED)
	PromptView fork(Caller caller, @PathVariable UUID id, @Valid @RequestBody ForkPromptRequest request) {
		return prompts.fork(caller, id, request.workspaceId(), request.title() == null ? null : request.title().strip(),
				request.body());
	}

	@GetMapping("/{id}/lineage")
	Lineage lineage(Caller caller, @PathVariable UUID id) {
		return prompts.lineage(caller, id);
	}

	@GetMapping("/{id}/children")
	Page<PromptView> children(Caller caller, @PathVariable UUID id) {
		return new Page<>(prompts.children(caller, id), null);
	}

	@GetMapping("/{id}/forks")
	Page<ForkNode> forks(Caller caller, @PathVariable UUID id, @RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable Integer limit) {
		return prompts.forks(caller, id, Cursor.decode(cursor), Cursor.limit(limit));
	}

}
