package dev.phork.credits;

import dev.phork.common.Ids;
import dev.phork.common.Page;
import dev.phork.identity.WorkspaceCreated;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Credit accounts and their ledger. */
@Service
public class CreditLedger {

	private final JdbcClient jdbc;

	private final CreditSettings settings;

	CreditLedger(JdbcClient jdbc, CreditSettings settings) {
		this.jdbc = jdbc;
		this.settings = settings;
	}

	public record Balance(UUID workspaceId, long balance) {
	}

	public record LedgerEntry(UUID id, @Nullable UUID jobId, long delta, String reason, Instant createdAt) {
	}

	/** Opens the workspace's account in the transaction that creates the workspace. */
	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(WorkspaceCreated event) {
		long grant = event.personal() ? settings.starterCredits() : 0;
		jdbc.sql("INSERT INTO credit_accounts (workspace_id, balance) VALUES (:workspace, :balance)")
			.param("workspace", event.workspaceId())
			.param("balance", grant)
			.update();
		if (grant > 0) {
			jdbc.sql("""
					INSERT INTO credit_ledger (id, workspace_id, delta, reason)
					VALUES (:id, :workspace, :delta, 'starter_grant')""")
				.param("id", Ids.newId())
				.param("workspace", event.workspaceId())
				.param("delta", grant)
				.update();
		}
	}

	public Balance balance(UUID workspaceId) {
		long balance = jdbc.sql("SELECT balance FROM credit_accounts WHERE workspace_id = :workspace")
			.param("workspace", workspaceId)
			.query(Long.class)
			.optional()
			.orElse(0L);
		return new Balance(workspaceId, balance);
	}

	public Page<LedgerEntry> ledger(UUID workspaceId, @Nullable UUID before, int limit) {
		List<LedgerEntry> rows = jdbc.sql("""
				SELECT id, job_id, delta, reason, created_at
				FROM credit_ledger
				WHERE workspace_id = :workspace AND (CAST(:before AS uuid) IS NULL OR id < :before)
				ORDER BY id DESC
				LIMIT :limit""")
			.param("workspace", workspaceId)
			.param("before", before)
			.param("limit", limit + 1)
			.query((rs, n) -> new LedgerEntry(rs.getObject("id", UUID.class), rs.getObject("job_id", UUID.class),
					rs.getLong("delta"), rs.getString("reason"), rs.getObject("created_at", OffsetDateTime.class).toInstant()))
			.list();
		return Page.of(rows, limit, LedgerEntry::id);
	}

}
