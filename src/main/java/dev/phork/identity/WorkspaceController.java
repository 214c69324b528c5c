package dev.phork.identity;

import io.swagger.v3.oas.annotations.media.Schema;
import dev.phork.common.ApiAnswers;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
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

@Tag(name = "workspaces")
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
			@NotBlank @Schema(allowableValues = { "editor", "viewer", "owner" }) String role) {
	}

	record ChangeRoleRequest(@NotBlank @Schema(allowableValues = { "editor", "viewer", "owner" }) String role) {
	}

	@Operation(operationId = "createWorkspace", summary = "Create a workspace; you are its owner")
	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	WorkspaceView create(Caller caller, @Valid @RequestBody CreateWorkspaceRequest request) {
		return workspaces.create(caller, request.name().strip());
	}

	@Operation(operationId = "listWorkspaces", summary = "The workspaces you are a member of")
	@GetMapping
	Page<WorkspaceView> list(Caller caller) {
		return new Page<>(workspaces.list(caller), null);
	}

	@Operation(operationId = "getWorkspace", summary = "Read a workspace of yours")
	@ApiAnswers(problems = { "workspace_not_found" })
	@GetMapping("/{id}")
	WorkspaceView get(Caller caller, @PathVariable UUID id) {
		return workspaces.get(caller, id);
	}

	@Operation(operationId = "listMembers", summary = "A workspace's members")
	@ApiAnswers(problems = { "workspace_not_found" })
	@GetMapping("/{id}/members")
	Page<MemberView> members(Caller caller, @PathVariable UUID id) {
		return new Page<>(workspaces.members(caller, id), null);
	}

	/**
	 * Kept for clients of the time when owners added members directly; it now only invites, like
	 * {@code POST /workspaces/{id}/invitations}.
	 */
	@Operation(operationId = "inviteMember", summary = "Invite an email (the same as createInvitation; kept for old clients)")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "invalid_role", "already_member", "already_invited" })
	@PostMapping("/{id}/members")
	@ResponseStatus(HttpStatus.CREATED)
	InvitationView inviteThroughMembers(Caller caller, @PathVariable UUID id, @Valid @RequestBody InviteRequest request) {
		return invite(caller, id, request);
	}

	@Operation(operationId = "createInvitation", summary = "Invite an email to the workspace with a role (owner only)")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "invalid_role", "already_member", "already_invited" })
	@PostMapping("/{id}/invitations")
	@ResponseStatus(HttpStatus.CREATED)
	InvitationView invite(Caller caller, @PathVariable UUID id, @Valid @RequestBody InviteRequest request) {
		return invitations.invite(caller, id, request.email(), Role.parse(request.role()));
	}

	@Operation(operationId = "listWorkspaceInvitations", summary = "The workspace's pending invitations (owner only)")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role" })
	@GetMapping("/{id}/invitations")
	Page<InvitationView> invitations(Caller caller, @PathVariable UUID id,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(required = false) @Nullable Integer limit) {
		return invitations.pending(caller, id, Cursor.decode(cursor), Cursor.limit(limit));
	}

	@Operation(operationId = "revokeInvitation", summary = "Revoke a pending invitation (owner only)")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "invitation_not_found", "invitation_not_pending" })
	@DeleteMapping("/{id}/invitations/{invitationId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeInvitation(Caller caller, @PathVariable UUID id, @PathVariable UUID invitationId) {
		invitations.revoke(caller, id, invitationId);
	}

	@Operation(operationId = "changeMemberRole", summary = "Change a member's role (owner only)")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "member_not_found", "invalid_role", "last_owner" })
	@PatchMapping("/{id}/members/{userId}")
	MemberView changeRole(Caller caller, @PathVariable UUID id, @PathVariable UUID userId,
			@Valid @RequestBody ChangeRoleRequest request) {
		return workspaces.changeRole(caller, id, userId, Role.parse(request.role()));
	}

	@Operation(operationId = "removeMember", summary = "Remove a member (owner), or leave (yourself)")
	@ApiAnswers(problems = { "workspace_not_found", "insufficient_role", "member_not_found", "last_owner" })
	@DeleteMapping("/{id}/members/{userId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void removeMember(Caller caller, @PathVariable UUID id, @PathVariable UUID userId) {
		workspaces.removeMember(caller, id, userId);
	}

}
