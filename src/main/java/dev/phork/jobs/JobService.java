package dev.phork.jobs;

import dev.phork.common.Ids;
import dev.phork.common.Page;
import dev.phork.common.ProblemException;
import dev.phork.credits.CreditLedger;
import dev.phork.identity.Caller;
import dev.phork.identity.Role;
import dev.phork.identity.WorkspaceAccess;
import dev.phork.jobs.Jobs.JobRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Submitting, reading and canceling jobs. A submission is one transaction: idempotency lookup,
 * quota, debit and its ledger row, and the job row. The answer never waits for the work.
 */
@Service
public class JobService {

	private final Jobs jobs;

	private final CreditLedger credits;

	private final WorkspaceAccess access;

	private final JobSettings settings;

	private final JobNotifications notifications;

	private final TransactionTemplate tx;

	private final JsonMapper json;

	private final Clock clock = Clock.systemUTC();

	JobService(Jobs jobs, CreditLedger credits, WorkspaceAccess access, JobSettings settings,
			JobNotifications notifications, TransactionTemplate tx, JsonMapper json) {
		this.jobs = jobs;
		this.credits = credits;
		this.access = access;
		this.settings = settings;
		this.notifications = notifications;
		this.tx = tx;
		this.json = json;
	}

	/** A job to submit. {@code request} is the normalized request (defaults applied, no key). */
	public record Submission(UUID workspaceId, @Nullable UUID projectId, JobType type, Map<String, Object> request,
			@Nullable String idempotencyKey) {
	}

	public record Submitted(JobView job, boolean created) {
	}

	public long price(JobType type) {
		return settings.price(type);
	}

	/**
	 * Submits the job. The caller has already checked the request's own rules (membership, project,
	 * moderation); this checks membership again, because nothing is charged without it.
	 */
	public Submitted submit(Caller caller, Submission submission) {
		access.require(caller, submission.workspaceId(), Role.EDITOR);
		String key = submission.idempotencyKey() != null ? submission.idempotencyKey() : "auto-" + Ids.newId();
		String hash = hash(submission);
		Optional<Submitted> replay = replay(submission.workspaceId(), key, hash);
		if (replay.isPresent()) {
			return replay.get();
		}
		UUID id = Ids.newId();
		long cost = settings.price(submission.type());
		Boolean inserted = tx.execute(status -> {
			if (!jobs.takeQuota(submission.workspaceId(), LocalDate.now(clock), settings.dailyQuota())) {
				throw quotaExceeded();
			}
			if (!jobs.insert(id, submission.workspaceId(), submission.projectId(), submission.type(), cost, key,
					submission.request(), hash, settings.maxAttempts(), caller.userId())) {
				// The same key won a race in another transaction; undo the quota and answer that job.
				status.setRollbackOnly();
				return false;
			}
			if (!credits.debit(submission.workspaceId(), id, cost)) {
				throw new ProblemException(HttpStatus.PAYMENT_REQUIRED, "insufficient_credits",
						"This job costs " + cost + " credits; the workspace has "
								+ credits.balance(submission.workspaceId()).balance() + ".");
			}
			afterCommit(notifications::jobQueued);
			return true;
		});
		if (!Boolean.TRUE.equals(inserted)) {
			return replay(submission.workspaceId(), key, hash).orElseThrow();
		}
		return new Submitted(jobs.find(id).orElseThrow().view(), true);
	}

	private Optional<Submitted> replay(UUID workspaceId, String key, String hash) {
		return jobs.byIdempotencyKey(workspaceId, key).map(existing -> {
			if (!existing.requestHash().equals(hash)) {
				throw ProblemException.unprocessable("idempotency_key_reused",
						"This Idempotency-Key was already used with a different request.");
			}
			return new Submitted(jobs.find(existing.id()).orElseThrow().view(), false);
		});
	}

	public JobView get(Caller caller, UUID jobId) {
		JobRow job = jobs.find(jobId).orElseThrow(() -> ProblemException.notFound("job", jobId));
		if (!access.isMember(caller, job.view().workspaceId())) {
			throw ProblemException.notFound("job", jobId);
		}
		return job.view();
	}

	public Page<JobView> list(Caller caller, UUID workspaceId, @Nullable JobStatus status, @Nullable JobType type,
			@Nullable UUID before, int limit) {
		access.require(caller, workspaceId, Role.VIEWER);
		return Page.of(jobs.list(workspaceId, status, type, before, limit).stream().map(JobRow::view).toList(), limit,
				JobView::id);
	}

	/**
	 * Cancels a queued or running job and refunds it, in one transaction. Canceling a finished job
	 * changes nothing and answers it as it is, so repeated cancels are harmless.
	 */
	public JobView cancel(Caller caller, UUID jobId) {
		JobView job = get(caller, jobId);
		access.require(caller, job.workspaceId(), Role.EDITOR);
		return tx.execute(status -> jobs.markCanceled(jobId).map(canceled -> {
			credits.refund(canceled.view().workspaceId(), jobId, canceled.view().cost());
			return canceled.view();
		}).orElseGet(() -> jobs.find(jobId).orElseThrow().view()));
	}

	private ProblemException quotaExceeded() {
		ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
		long retryAfter = Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC)).toSeconds() + 1;
		return new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "daily_quota_exceeded",
				"The workspace has used its " + settings.dailyQuota() + " jobs for today (UTC).",
				Map.of("retryAfterSeconds", retryAfter));
	}

	private String hash(Submission submission) {
		Map<String, Object> canonical = new TreeMap<>(submission.request());
		canonical.put("_type", submission.type().json());
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
				.digest(json.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void afterCommit(Runnable action) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				action.run();
			}
		});
	}

}
