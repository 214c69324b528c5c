package dev.phork.identity;

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
@RestController
@RequestMapping("/invitations")
class InvitationController {

	private final InvitationService invitations;

	InvitationController(InvitationService invitations) {
		this.invitations = invitations;
	}

	@GetMapping
	Page<InvitationView> mine(Caller caller, @RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable Integer limit) {
		return invitations.mine(caller, Cursor.decode(cursor), Cursor.limit(limit));
	}

	@PostMapping("/{id}/accept")
	Membership accept(Caller caller, @PathVariable UUID id) {
		return invitations.accept(caller, id);
	}

	@PostMapping("/{id}/decline")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void decline(Caller caller, @PathVariable UUID id) {
		invitations.decline(caller, id);
	}

}
