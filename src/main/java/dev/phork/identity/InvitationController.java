package dev.phork.identity;

import dev.phork.common.ApiAnswers;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import dev.phork.common.Cursor;
import dev.phork.common.Page;
import dev.phork.identity.InvitationService.Membership;
import dev.phork.identity.Invitations.InvitationView;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The caller's own invitations: those sent to their email, which only they may answer. */
@Tag(name = "invitations")
@RestController
@RequestMapping("/invitations")
class InvitationController {

	private final InvitationService invitations;

	InvitationController(InvitationService invitations) {
		this.invitations = invitations;
	}

	@Operation(operationId = "listMyInvitations", summary = "Your pending invitations, to your account's email")
	@GetMapping
	Page<InvitationView> mine(Caller caller, @RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable Integer limit) {
		return invitations.mine(caller, Cursor.decode(cursor), Cursor.limit(limit));
	}

	@Operation(operationId = "acceptInvitation", summary = "Accept an invitation and join its workspace")
	@ApiAnswers(problems = { "invitation_not_found", "invitation_not_pending", "already_member" })
	@PostMapping("/{id}/accept")
	Membership accept(Caller caller, @PathVariable UUID id) {
		return invitations.accept(caller, id);
	}

	@Operation(operationId = "declineInvitation", summary = "Decline an invitation")
	@ApiAnswers(problems = { "invitation_not_found", "invitation_not_pending" })
	@PostMapping("/{id}/decline")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void decline(Caller caller, @PathVariable UUID id) {
		invitations.decline(caller, id);
	}

}
