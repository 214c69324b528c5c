package dev.phork.jobs;

import dev.phork.common.Hashes;
import dev.phork.common.GroupCommit;
import dev.phork.common.Ids;
import dev.phork.common.Page;
import dev.phork.common.database.DatabaseFailures;
import dev.phork.common.ProblemException;
import dev.phork.credits.CreditLedger;
import dev.phork.credits.CreditLedger.Charge;
import dev.phork.identity.Caller;
import dev.phork.identity.Role;
import dev.phork.identity.WorkspaceAccess;
import dev.phork.identity.WorkspaceAccess.Seat;
import dev.phork.jobs.Jobs.JobRow;
import dev.phork.jobs.Jobs.NewJob;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
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

	/** Submission lanes: enough for batches to overlap, few enough that each batch gathers many. */
	private static final int LANES = 4;

	private static final Comparator<NewJob> BY_PROJECT = Comparator.comparing(NewJob::projectId,
			Comparator.nullsFirst(Comparator.naturalOrder()));

	private final Jobs jobs;

	private final CreditLedger credits;

	private final WorkspaceAccess access;

	private final JobSettings settings;

	private final JobNotifications notifications;

	private final TransactionTemplate tx;

	private final JsonMapper json;

	private final JobEndings endings;

	private final Clock clock = Clock.systemUTC();

	private final GroupCommit<Pending, Decision> batcher = new GroupCommit<>(this::commitBatch);

	JobService(Jobs jobs, CreditLedger credits, WorkspaceAccess access, JobSettings settings,
			JobNotifications notifications, TransactionTemplate tx, JsonMapper json, JobEndings endings) {
		this.endings = endings;
		this.jobs = jobs;
		this.credits = credits;
		this.access = access;
		this.settings = settings;
		this.notifications = notifications;
		this.tx = tx;
		this.json = json;
	}

	/** A job to submit. {@code request} is the normalized request (defaults applied, no key). */
	record Submission(UUID workspaceId, @Nullable UUID projectId, JobType type, Map<String, Object> request,
			@Nullable String idempotencyKey) {
	}

	/**
	 * One job of a pipeline: its id is chosen up front so later jobs can depend on it, and on its
	 * result ({@code imageFromJob}, {@code videoFromJob} ... in the request).
	 */
	public record PipelineJob(UUID jobId, JobType type, Map<String, Object> request, List<UUID> dependsOn) {
	}

	record Submitted(JobView job, boolean created) {
	}

	/** The price of a generation job; renders are priced by their length ({@link #renderPrice}). */
	public long price(JobType type) {
		if (type == JobType.RENDER) {
			throw new IllegalArgumentException("a render's price depends on its length; use renderPrice");
		}
		return settings.price(type);
	}

	/**
	 * What a render of {@code durationMs} of output costs ({@code PHORK_PRICE_RENDER_PER_SECOND},
	 * at least {@code PHORK_PRICE_RENDER}). The one formula for renders of commits and of pipelines.
	 */
	public long renderPrice(long durationMs) {
		return settings.renderPrice(durationMs);
	}

	/** What each job costs, as a client sees it before submitting (the same for every workspace). */
	record Prices(long genVideo, long genAudio, long genImage, long animate, RenderPrices render) {
	}

	/** A render costs {@code perSecond} per second of output, rounded up, at least {@code minimum}. */
	record RenderPrices(long minimum, BigDecimal perSecond, long maxDurationMs) {
	}

	Prices prices() {
		RenderPrices render = new RenderPrices(settings.price(JobType.RENDER), settings.renderPricePerSecond(),
				settings.renderMaxDuration().toMillis());
		return new Prices(price(JobType.GEN_VIDEO), price(JobType.GEN_AUDIO), price(JobType.GEN_IMAGE),
				price(JobType.ANIMATE), render);
	}

	/**
	 * What this job costs, read off its normalized request: a render by the {@code durationMs} of
	 * output recorded in it at submission (so the debit is known before anything runs, and stays one
	 * conditional update), any other job by its type. A render longer than
	 * {@code PHORK_RENDER_MAX_DURATION} is refused here, before anything is charged.
	 */
	public long cost(JobType type, Map<String, Object> request) {
		if (type != JobType.RENDER) {
			return price(type);
		}
		if (!(request.get("durationMs") instanceof Number length)) {
			throw new IllegalStateException("a render request carries its output's durationMs");
		}
		long durationMs = length.longValue();
		long maxMs = settings.renderMaxDuration().toMillis();
		if (durationMs > maxMs) {
			throw ProblemException.unprocessable("render_too_long", "This render would be "
					+ seconds(durationMs) + " s long; a render may be at most " + seconds(maxMs)
					+ " s. Render fewer or shorter scenes.");
		}
		return settings.renderPrice(durationMs);
	}

	/**
	 * Submits the job. The controller has already checked the request's own rules (project,
	 * moderation), checking membership first wherever that reads the workspace. The submission then
	 * joins the batch of its workspace's lane (see {@link GroupCommit}): a lane serves a fixed share
	 * of all workspaces, so a batch holds the submissions of one busy workspace as well as those of
	 * many quiet ones. The batch checks every submitter's membership (editor or above) first, in one
	 * query, before it looks up any idempotency key or touches a workspace's rows.
	 */
	Submitted submit(Caller caller, Submission submission) {
		String key = submission.idempotencyKey() != null ? submission.idempotencyKey() : "auto-" + Ids.newId();
		Pending pending = new Pending(new NewJob(Ids.newId(), submission.workspaceId(), submission.projectId(),
				submission.type(), cost(submission.type(), submission.request()), key, submission.request(),
				hash(submission), caller.userId(), List.of(), null));
		Decision decision = batcher.submit(Math.floorMod(submission.workspaceId().hashCode(), LANES), pending);
		return switch (decision) {
			case Decision.Created created -> new Submitted(created.job().view(), true);
			case Decision.Replay replay -> replay(submission.workspaceId(), key, pending.job().requestHash())
				.orElseThrow(() -> new IllegalStateException("replayed job " + replay.key() + " vanished"));
			case Decision.Refused refused -> throw refused.problem();
			case Decision.Failed failed -> throw failed.failure();
		};
	}

	private record Pending(NewJob job) {
	}

	/** What a batch decided for one submission. */
	private sealed interface Decision {

		record Created(JobRow job) implements Decision {
		}

		/** The key is taken (earlier, in this batch, or by a concurrent process): answer that job. */
		record Replay(String key) implements Decision {
		}

		record Refused(ProblemException problem) implements Decision {
		}

		/** The submission's transaction failed; it is answered with that failure. */
		record Failed(RuntimeException failure) implements Decision {
		}

	}

	/**
	 * Commits a batch, of one or many workspaces, in one transaction: lock the quota and account rows
	 * of its workspaces once (in workspace order), decide each submission in order (replay, quota,
	 * balance), insert the accepted jobs, count them against the quotas, and debit them with their
	 * ledger rows. Each step is one statement for the whole batch.
	 */
	private List<Decision> commitBatch(List<Pending> batch) {
		try {
			// Roles are read before the transaction: a read that needs no lock, kept out of the time the
			// batch holds its workspaces' rows.
			Map<Seat, Role> roles = roles(batch);
			return tx.execute(status -> decide(batch, roles));
		}
		catch (RuntimeException ex) {
			if (batch.size() == 1 || DatabaseFailures.unavailable(ex)) {
				return batch.stream().<Decision>map(pending -> new Decision.Failed(ex)).toList();
			}
			// One submission's failure (a deadlock lost, data the database refuses) fails only itself.
			return batch.stream().map(pending -> commitBatch(List.of(pending)).getFirst()).toList();
		}
	}

	private Map<Seat, Role> roles(List<Pending> batch) {
		return access.roles(batch.stream().map(p -> new Seat(p.job().createdBy(), p.job().workspaceId()))
			.collect(Collectors.toSet()));
	}

	private List<Decision> decide(List<Pending> batch, Map<Seat, Role> roles) {
		List<NewJob> submitted = batch.stream().map(Pending::job).toList();
		Decision[] decided = new Decision[batch.size()];
		List<NewJob> members = new ArrayList<>();
		for (int i = 0; i < batch.size(); i++) {
			NewJob job = submitted.get(i);
			Optional<ProblemException> refusal = access.refusal(roles.get(new Seat(job.createdBy(), job.workspaceId())),
					job.workspaceId(), Role.EDITOR);
			if (refusal.isPresent()) {
				decided[i] = new Decision.Refused(refusal.get());
			}
			else {
				members.add(job);
			}
		}
		if (members.isEmpty()) {
			return List.of(decided);
		}
		Set<String> taken = jobs.takenKeys(members.stream().map(NewJob::workspaceId).toList(),
				members.stream().map(NewJob::key).toList());
		Set<UUID> workspaces = members.stream().map(NewJob::workspaceId).collect(Collectors.toCollection(TreeSet::new));
		LocalDate day = LocalDate.now(clock);
		Map<UUID, Integer> used = jobs.lockQuotas(workspaces, day);
		Map<UUID, Long> balances = credits.lockBalances(workspaces);
		Set<String> acceptedKeys = new HashSet<>();
		List<NewJob> accepted = new ArrayList<>();
		for (int i = 0; i < batch.size(); i++) {
			if (decided[i] != null) {
				continue;
			}
			NewJob job = submitted.get(i);
			UUID workspace = job.workspaceId();
			String key = Jobs.keyOf(workspace, job.key());
			long balance = balances.getOrDefault(workspace, 0L);
			if (taken.contains(key) || acceptedKeys.contains(key)) {
				decided[i] = new Decision.Replay(job.key());
			}
			else if (used.getOrDefault(workspace, 0) >= settings.dailyQuota()) {
				decided[i] = new Decision.Refused(quotaExceeded());
			}
			else if (balance < job.cost()) {
				decided[i] = new Decision.Refused(new ProblemException(HttpStatus.PAYMENT_REQUIRED, "insufficient_credits",
						"This job costs " + job.cost() + " credits; the workspace has " + balance + "."));
			}
			else {
				used.merge(workspace, 1, Integer::sum);
				balances.put(workspace, balance - job.cost());
				acceptedKeys.add(key);
				accepted.add(job);
			}
		}
		Map<UUID, JobRow> inserted = new HashMap<>();
		if (!accepted.isEmpty()) {
			// In project order, as workers' endings lock projects, so the two never wait crosswise.
			jobs.insertAll(accepted.stream().sorted(BY_PROJECT).toList(), settings.maxAttempts())
				.forEach(row -> inserted.put(row.id(), row));
			List<NewJob> charged = accepted.stream().filter(job -> inserted.containsKey(job.id())).toList();
			if (!charged.isEmpty()) {
				Map<UUID, Integer> counted = new HashMap<>();
				charged.forEach(job -> counted.merge(job.workspaceId(), 1, Integer::sum));
				// Both guards hold under the locks taken above; they stay as the database's own check.
				if (jobs.addQuotas(counted, day, settings.dailyQuota()) != counted.size() || !credits.debitAll(
						charged.stream().map(job -> new Charge(job.workspaceId(), job.id(), job.cost())).toList())) {
					throw new IllegalStateException("quota or balance moved under a held lock");
				}
				afterCommit(notifications::jobQueued);
			}
		}
		for (int i = 0; i < batch.size(); i++) {
			if (decided[i] == null) {
				NewJob job = submitted.get(i);
				JobRow row = inserted.get(job.id());
				decided[i] = row != null ? new Decision.Created(row) : new Decision.Replay(job.key());
			}
		}
		return List.of(decided);
	}

	/**
	 * Submits a pipeline's jobs all or nothing, in one transaction with one debit for their total:
	 * a pipeline never starts half-paid. Throws the first refusal (402, 429) and writes nothing then.
	 */
	public List<JobView> submitAll(Caller caller, UUID workspaceId, UUID projectId, UUID pipelineId,
			List<PipelineJob> pipelineJobs) {
		access.require(caller, workspaceId, Role.EDITOR);
		List<Pending> batch = pipelineJobs.stream().map(job -> {
			Submission submission = new Submission(workspaceId, projectId, job.type(), job.request(), null);
			return new Pending(new NewJob(job.jobId(), workspaceId, projectId, job.type(),
					cost(job.type(), job.request()), "pipeline-" + pipelineId + "-" + job.jobId(), job.request(), hash(submission), caller.userId(),
					job.dependsOn(), pipelineId));
		}).toList();
		return tx.execute(status -> {
			List<JobView> created = new ArrayList<>();
			for (Decision decision : decide(batch, roles(batch))) {
				switch (decision) {
					case Decision.Created job -> created.add(job.job().view());
					case Decision.Refused refused -> throw refused.problem();
					case Decision.Replay replay -> throw new IllegalStateException("pipeline job key reused: " + replay.key());
					case Decision.Failed failed -> throw failed.failure();
				}
			}
			return created;
		});
	}

	/** The job that holds the key; a 422 when it was submitted with a different request. */
	private Optional<Submitted> replay(UUID workspaceId, String key, String hash) {
		return jobs.byIdempotencyKey(workspaceId, key).map(existing -> {
			if (!existing.requestHash().equals(hash)) {
				throw ProblemException.unprocessable("idempotency_key_reused",
						"This Idempotency-Key was already used with a different request.");
			}
			return new Submitted(jobs.find(existing.id()).orElseThrow().view(), false);
		});
	}

	/** A job by id, once the caller's access was checked. */
	JobView view(UUID jobId) {
		return jobs.find(jobId).orElseThrow(() -> ProblemException.notFound("job", jobId)).view();
	}

	/** Jobs by id, for features that track jobs they created (pipelines); no access check. */
	public List<JobView> views(List<UUID> ids) {
		return jobs.findAll(ids).stream().map(JobRow::view).toList();
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
			endings.unsuccessful(canceled);
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
		return Hashes.sha256Hex(json.writeValueAsString(canonical));
	}

	private static String seconds(long durationMs) {
		return String.format(Locale.ROOT, "%.1f", durationMs / 1000.0);
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
