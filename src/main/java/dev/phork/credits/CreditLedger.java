package dev.phork.credits;

import dev.phork.common.Ids;
import dev.phork.common.Page;
import dev.phork.identity.WorkspaceCreated;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
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

	private final ApplicationEventPublisher events;

	CreditLedger(JdbcClient jdbc, CreditSettings settings, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.settings = settings;
		this.events = events;
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

	/** One job's charge to its workspace. */
	public record Charge(UUID workspaceId, UUID jobId, long cost) {
	}

	/**
	 * Debits several jobs, of one or more workspaces, in the caller's transaction: one conditional
	 * UPDATE that takes each workspace's total only where the balance covers it, and one ledger row
	 * per job. Answers false when some balance was short; some workspaces may then have been debited,
	 * so the caller must roll back. Used by group-committed submissions, which have checked every
	 * balance under {@link #lockBalances}.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean debitAll(List<Charge> charges) {
		UUID[] workspaces = charges.stream().map(Charge::workspaceId).toArray(UUID[]::new);
		Long[] costs = charges.stream().map(Charge::cost).toArray(Long[]::new);
		List<CreditsLow> crossed = new ArrayList<>();
		int debited = jdbc.sql("""
				UPDATE credit_accounts a SET balance = a.balance - t.total, updated_at = now()
				FROM (SELECT c.workspace, sum(c.cost) AS total
				      FROM unnest(CAST(:workspaces AS uuid[]), CAST(:costs AS bigint[])) AS c(workspace, cost)
				      GROUP BY c.workspace) AS t
				WHERE a.workspace_id = t.workspace AND a.balance >= t.total
				RETURNING a.workspace_id, a.balance, a.balance + t.total >= :low AND a.balance < :low AS crossed""")
			.param("workspaces", workspaces)
			.param("costs", costs)
			.param("low", settings.low())
			.query((rs, n) -> {
				if (rs.getBoolean("crossed")) {
					crossed.add(new CreditsLow(rs.getObject("workspace_id", UUID.class), rs.getLong("balance"), settings.low()));
				}
				return n;
			})
			.list()
			.size();
		if (debited != Arrays.stream(workspaces).distinct().count()) {
			return false;
		}
		crossed.forEach(events::publishEvent);
		jdbc.sql("""
				INSERT INTO credit_ledger (id, workspace_id, job_id, delta, reason)
				SELECT e.id, e.workspace, e.job, -e.cost, 'job_debit'
				FROM unnest(CAST(:ids AS uuid[]), CAST(:workspaces AS uuid[]), CAST(:jobs AS uuid[]), CAST(:costs AS bigint[]))
				     AS e(id, workspace, job, cost)
				WHERE e.cost > 0""")
			.param("ids", charges.stream().map(charge -> Ids.newId()).toArray(UUID[]::new))
			.param("workspaces", workspaces)
			.param("jobs", charges.stream().map(Charge::jobId).toArray(UUID[]::new))
			.param("costs", costs)
			.update();
		return true;
	}

	/**
	 * Locks the workspaces' account rows, in workspace order, for the rest of the transaction and
	 * answers their balances.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Map<UUID, Long> lockBalances(Collection<UUID> workspaceIds) {
		Map<UUID, Long> balances = new HashMap<>();
		jdbc.sql("""
				SELECT workspace_id, balance FROM credit_accounts
				WHERE workspace_id = ANY(:workspaces) ORDER BY workspace_id FOR UPDATE""")
			.param("workspaces", workspaceIds.toArray(UUID[]::new))
			.query((rs, n) -> balances.put(rs.getObject("workspace_id", UUID.class), rs.getLong("balance")))
			.list();
		return balances;
	}

	/**
	 * Gives a failed or canceled job's credits back, in the transaction that ends the job. The
	 * unique index on refunds makes a second refund of the same job impossible, whoever races; a
	 * repeat answers false and changes nothing.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean refund(UUID workspaceId, UUID jobId, long cost) {
		if (cost == 0) {
			return false;
		}
		int inserted = jdbc.sql("""
				INSERT INTO credit_ledger (id, workspace_id, job_id, delta, reason)
				SELECT :id, :workspace, :job, :delta, 'job_refund'
				WHERE EXISTS (SELECT 1 FROM credit_ledger WHERE job_id = :job AND reason = 'job_debit')
				ON CONFLICT (job_id) WHERE reason = 'job_refund' DO NOTHING""")
			.param("id", Ids.newId())
			.param("workspace", workspaceId)
			.param("job", jobId)
			.param("delta", cost)
			.update();
		if (inserted == 0) {
			return false;
		}
		jdbc.sql("UPDATE credit_accounts SET balance = balance + :cost, updated_at = now() WHERE workspace_id = :workspace")
			.param("workspace", workspaceId)
			.param("cost", cost)
			.update();
		return true;
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
