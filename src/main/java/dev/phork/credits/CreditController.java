package dev.phork.credits;

import dev.phork.common.ApiAnswers;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import dev.phork.common.Cursor;
import dev.phork.common.Page;
import dev.phork.credits.CreditLedger.Balance;
import dev.phork.credits.CreditLedger.LedgerEntry;
import dev.phork.identity.Caller;
import dev.phork.identity.Role;
import dev.phork.identity.WorkspaceAccess;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "credits")
@RestController
@RequestMapping("/credits")
class CreditController {

	private final CreditLedger ledger;

	private final WorkspaceAccess access;

	CreditController(CreditLedger ledger, WorkspaceAccess access) {
		this.ledger = ledger;
		this.access = access;
	}

	@Operation(operationId = "getBalance", summary = "A workspace's credit balance")
	@ApiAnswers(problems = { "workspace_not_found" })
	@GetMapping("/balance")
	Balance balance(Caller caller, @RequestParam UUID workspaceId) {
		access.require(caller, workspaceId, Role.VIEWER);
		return ledger.balance(workspaceId);
	}

	@Operation(operationId = "listLedger", summary = "A workspace's credit ledger, newest first")
	@ApiAnswers(problems = { "workspace_not_found" })
	@GetMapping("/ledger")
	Page<LedgerEntry> ledger(Caller caller, @RequestParam UUID workspaceId, @RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable Integer limit) {
		access.require(caller, workspaceId, Role.VIEWER);
		return ledger.ledger(workspaceId, Cursor.decode(cursor), Cursor.limit(limit));
	}

}
