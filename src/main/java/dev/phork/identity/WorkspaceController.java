package dev.phork.identity;

import dev.phork.common.Page;
import dev.phork.identity.Workspaces.MemberView;
import dev.phork.identity.Workspaces.WorkspaceView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/workspaces")
class WorkspaceController {

	private final WorkspaceService workspaces;

	WorkspaceController(WorkspaceService workspaces) {
		this.workspaces = workspaces;
	}

	record CreateWorkspaceRequest(@NotBlank @Size(max = 100) String name) {
	}

	record AddMemberRequest(@NotBlank @Size(max = 254) String email, @NotBlank String role) {
	}

	record ChangeRoleRequest(@NotBlank String role) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	WorkspaceView create(Caller caller, @Valid @RequestBody CreateWorkspaceRequest request) {
		return workspaces.create(caller, request.name().strip());
	}

	@GetMapping
	Page<WorkspaceView> list(Caller caller) {
		return new Page<>(workspaces.list(caller), null);
	}

	@GetMapping("/{id}")
	WorkspaceView get(Caller caller, @PathVariable UUID id) {
		return workspaces.get(caller, id);
	}

	@GetMapping("/{id}/members")
	Page<MemberView> members(Caller caller, @PathVariable UUID id) {
		return new Page<>(workspaces.members(caller, id), null);
	}

	@PostMapping("/{id}/members")
	@ResponseStatus(HttpStatus.CREATED)
	MemberView addMember(Caller caller, @PathVariable UUID id, @Valid @RequestBody AddMemberRequest request) {
		return workspaces.addMember(caller, id, request.email(), Role.parse(request.role()));
	}

	@PatchMapping("/{id}/members/{userId}")
	MemberView changeRole(Caller caller, @PathVariable UUID id, @PathVariable UUID userId,
			@Valid @RequestBody ChangeRoleRequest request) {
		return workspaces.changeRole(caller, id, userId, Role.parse(request.role()));
	}

	@DeleteMapping("/{id}/members/{userId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void removeMember(Caller caller, @PathVariable UUID id, @PathVariable UUID userId) {
		workspaces.removeMember(caller, id, userId);
	}

}
