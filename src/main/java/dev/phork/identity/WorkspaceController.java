package dev.phork.identity;

import dev.phork.common.Cursor;
import dev.phork.common.Page;
import dev.phork.identity.Invitations.InvitationView;
import dev.phork.identity.Workspaces.MemberView;
import dev.phork.identity.Workspaces.WorkspaceView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/workspaces")
class WorkspaceController {

	private final WorkspaceService workspaces;

	private final InvitationService invitations;

	WorkspaceController(WorkspaceService workspaces, InvitationService invitations) {
		this.workspaces = workspaces;
		this.invitations = invitations;
	}

	record CreateWorkspaceRequest(@NotBlank @Size(max = 100) String name) {
	}

	record InviteRequest(
			@NotBlank @Size(max = 254) @Pattern(regexp = AuthController.EMAIL, message = "must be an email address") String email,
			@NotBlank String role) {
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

	/**
	 * Kept for clients of the time when owners added members directly; it now only invites, like
	 * {@code POST /workspaces/{id}/invitations}.
	 */
	@PostMapping("/{id}/members")
	@ResponseStatus(HttpStatus.CREATED)
	InvitationView inviteThroughMembers(Caller caller, @PathVariable UUID id, @Valid @RequestBody InviteRequest request) {
		return invite(caller, id, request);
	}

	@PostMapping("/{id}/invitations")
	@ResponseStatus(HttpStatus.CREATED)
	InvitationView invite(Caller caller, @PathVariable UUID id, @Valid @RequestBody InviteRequest request) {
		return invitations.invite(caller, id, request.email(), Role.parse(request.role()));
	}

	@GetMapping("/{id}/invitations")
	Page<InvitationView> invitations(Caller caller, @PathVariable UUID id,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(required = false) @Nullable Integer limit) {
		return invitations.pending(caller, id, Cursor.decode(cursor), Cursor.limit(limit));
	}

	@DeleteMapping("/{id}/invitations/{invitationId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeInvitation(Caller caller, @PathVariable UUID id, @PathVariable UUID invitationId) {
		invitations.revoke(caller, id, invitationId);
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
