package dev.phork.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The jobs table: submission rows, and the queue operations the workers run on it. */
@Repository
class Jobs {

	static final String COLUMNS = """
			id, workspace_id, project_id, type, status, progress, cost, idempotency_key, request, result_asset_id, error,
			attempts, max_attempts, created_by, provider_job_id, pipeline_id, created_at, started_at, finished_at""";

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	Jobs(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** A job row as the engine sees it. */
	record JobRow(JobView view, int maxAttempts, UUID createdBy, @Nullable String providerJobId, @Nullable UUID pipelineId) {

		UUID id() {
			return view.id();
		}

	}

	record Existing(UUID id, String requestHash) {
	}

	Optional<Existing> byIdempotencyKey(UUID workspaceId, String key) {
		return jdbc.sql("SELECT id, request_hash FROM jobs WHERE workspace_id = :workspace AND idempotency_key = :key")
			.param("workspace", workspaceId)
			.param("key", key)
			.query((rs, n) -> new Existing(rs.getObject("id", UUID.class), rs.getString("request_hash")))
			.optional();
	}

	/** Which of these (workspace, key) pairs a job already holds, as {@link #keyOf} strings. */
	Set<String> takenKeys(List<UUID> workspaces, List<String> keys) {
		return new HashSet<>(jdbc.sql("""
				SELECT j.workspace_id, j.idempotency_key FROM jobs j
				JOIN unnest(CAST(:workspaces AS uuid[]), CAST(:keys AS text[])) AS k(workspace, key)
				  ON j.workspace_id = k.workspace AND j.idempotency_key = k.key""")
			.param("workspaces", workspaces.toArray(UUID[]::new))
			.param("keys", keys.toArray(String[]::new))
			.query((rs, n) -> keyOf(rs.getObject("workspace_id", UUID.class), rs.getString("idempotency_key")))
			.list());
	}

	static String keyOf(UUID workspaceId, String key) {
		return workspaceId + "/" + key;
	}

	/**
	 * Locks the workspaces' quota rows for today (creating them at zero), in workspace order, and
	 * answers how much each has used. Held until commit, they order batches touching the same
	 * workspace behind each other.
	 */
	Map<UUID, Integer> lockQuotas(Collection<UUID> workspaces, LocalDate day) {
		Map<UUID, Integer> used = new HashMap<>();
		jdbc.sql("""
				INSERT INTO job_quota (workspace_id, day, used)
				SELECT w, :day, 0 FROM unnest(CAST(:workspaces AS uuid[])) AS w ORDER BY w
				ON CONFLICT (workspace_id, day) DO UPDATE SET used = job_quota.used
				RETURNING workspace_id, used""")
			.param("workspaces", workspaces.stream().sorted().toArray(UUID[]::new))
			.param("day", day)
			.query((rs, n) -> used.put(rs.getObject("workspace_id", UUID.class), rs.getInt("used")))
			.list();
		return used;
	}

	/**
	 * Counts more jobs for each workspace, never past the limit; answers how many workspaces were
	 * counted (fewer than given means one would have passed the limit).
	 */
	int addQuotas(Map<UUID, Integer> added, LocalDate day, int limit) {
		List<UUID> workspaces = List.copyOf(added.keySet());
		return jdbc.sql("""
				UPDATE job_quota q SET used = q.used + a.n
				FROM unnest(CAST(:workspaces AS uuid[]), CAST(:counts AS int[])) AS a(workspace, n)
				WHERE q.workspace_id = a.workspace AND q.day = :day AND q.used + a.n <= :limit""")
			.param("workspaces", workspaces.toArray(UUID[]::new))
			.param("counts", workspaces.stream().map(added::get).toArray(Integer[]::new))
			.param("day", day)
			.param("limit", limit)
			.update();
	}

	record NewJob(UUID id, UUID workspaceId, @Nullable UUID projectId, JobType type, long cost, String key, Map<String, Object> request,
			String requestHash, UUID createdBy, List<UUID> dependsOn, @Nullable UUID pipelineId) {
	}

	/**
	 * Inserts queued jobs in one statement. A job whose key another transaction took meanwhile is
	 * skipped; the answer holds the rows actually inserted.
	 */
	List<JobRow> insertAll(List<NewJob> batch, int maxAttempts) {
		return jdbc.sql("""
				INSERT INTO jobs (id, workspace_id, project_id, type, cost, idempotency_key, request, request_hash,
				                  max_attempts, created_by, depends_on, pipeline_id)
				SELECT t.id, t.workspace, t.project, t.type, t.cost, t.key, CAST(t.request AS jsonb), t.hash, :maxAttempts,
				       t.created_by, CAST(t.depends AS uuid[]), t.pipeline
				FROM unnest(CAST(:ids AS uuid[]), CAST(:workspaces AS uuid[]), CAST(:projects AS uuid[]), CAST(:types AS text[]),
				            CAST(:costs AS bigint[]),
				            CAST(:keys AS text[]), CAST(:requests AS text[]), CAST(:hashes AS text[]),
				            CAST(:creators AS uuid[]), CAST(:depends AS text[]), CAST(:pipelines AS uuid[]))
				     AS t(id, workspace, project, type, cost, key, request, hash, created_by, depends, pipeline)
				ON CONFLICT (workspace_id, idempotency_key) DO NOTHING
				RETURNING""" + " " + COLUMNS)
			.param("maxAttempts", maxAttempts)
			.param("ids", batch.stream().map(NewJob::id).toArray(UUID[]::new))
			.param("workspaces", batch.stream().map(NewJob::workspaceId).toArray(UUID[]::new))
			.param("projects", batch.stream().map(NewJob::projectId).toArray(UUID[]::new))
			.param("types", batch.stream().map(j -> j.type().json()).toArray(String[]::new))
			.param("costs", batch.stream().map(NewJob::cost).toArray(Long[]::new))
			.param("keys", batch.stream().map(NewJob::key).toArray(String[]::new))
			.param("requests", batch.stream().map(j -> json.writeValueAsString(j.request())).toArray(String[]::new))
			.param("hashes", batch.stream().map(NewJob::requestHash).toArray(String[]::new))
			.param("creators", batch.stream().map(NewJob::createdBy).toArray(UUID[]::new))
			.param("depends", batch.stream().map(j -> "{" + String.join(",", j.dependsOn().stream().map(UUID::toString).toList())
					+ "}").toArray(String[]::new))
			.param("pipelines", batch.stream().map(NewJob::pipelineId).toArray(UUID[]::new))
			.query(this::map)
			.list();
	}

	Optional<JobRow> find(UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE id = :id").param("id", id).query(this::map).optional();
	}

	/** The jobs with these ids, in one query (a pipeline's jobs, read on every progress poll). */
	List<JobRow> findAll(List<UUID> ids) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE id = ANY(:ids) ORDER BY id")
			.param("ids", ids.toArray(UUID[]::new))
			.query(this::map)
			.list();
	}

	List<JobRow> list(UUID workspaceId, @Nullable JobStatus status, @Nullable JobType type, @Nullable UUID before,
			int limit) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM jobs
				WHERE workspace_id = :workspace
				  AND (CAST(:status AS text) IS NULL OR status = :status)
				  AND (CAST(:type AS text) IS NULL OR type = :type)
				  AND (CAST(:before AS uuid) IS NULL OR id < :before)
				ORDER BY id DESC LIMIT :limit""")
			.param("workspace", workspaceId)
			.param("status", status == null ? null : status.json())
			.param("type", type == null ? null : type.json())
			.param("before", before)
			.param("limit", limit + 1)
			.query(this::map)
			.list();
	}

	/**
	 * Sets up a claim transaction. Bitmap scans are off: with statistics from when the queue was
	 * short, the planner would read and sort every queued job instead of walking the queue index in
	 * order and stopping after the few it needs. The commit does not wait for the WAL flush: a claim
	 * is a lease, and one lost in a database crash leaves its jobs queued, to be claimed again; only
	 * the ending, which stays durable, decides a job's outcome (a worker whose claim was lost finds
	 * the job no longer held and discards its result).
	 */
	void prepareClaim() {
		jdbc.sql("SELECT set_config('enable_bitmapscan', 'off', true), set_config('synchronous_commit', 'off', true)")
			.query((rs, n) -> n)
			.list();
	}

	/**
	 * Up to {@code limit} due jobs taken round robin across workspaces, locked for this transaction
	 * (set up by {@link #prepareClaim}): the free slots go one at a time to the workspace with the
	 * fewest running jobs, each workspace giving its oldest due jobs. So a workspace with a long
	 * backlog cannot keep another's single job waiting behind it: that job is next as soon as any slot
	 * frees. Among workspaces with as many jobs running, the order is random: by age, the workspaces
	 * whose backlogs have waited longest would win every tie, round after round, and a newcomer at the
	 * same level would wait for all of them.
	 *
	 * <p>It stays cheap on a long queue: the workspaces with queued jobs are found by skipping
	 * through the queue-by-workspace index (one probe per workspace, not one row per job), the
	 * turns are handed out from their running counts alone, and then each workspace reads only as
	 * many of its jobs as it got turns. Running counts are read without the advisory locks, so the
	 * turns are a fair order, not the cap: the caller recounts under the locks
	 * ({@link #lockAndCountRunning}). SKIP LOCKED, per workspace, lets concurrent claimers take a
	 * workspace's next jobs instead of waiting. A workspace that got turns but has fewer jobs due
	 * (waiting on a retry or a dependency) leaves them unused; when that leaves nothing at all, the
	 * caller falls back on {@link #due}.
	 */
	List<JobRow> fairlyDue(List<UUID> skipWorkspaces, int limit, int maxRunning) {
		return jdbc.sql("""
				WITH RECURSIVE queued (workspace_id) AS (
				    (SELECT workspace_id FROM jobs WHERE status = 'queued' ORDER BY workspace_id LIMIT 1)
				  UNION ALL
				    SELECT next.workspace_id FROM queued q CROSS JOIN LATERAL (
				        SELECT j.workspace_id FROM jobs j WHERE j.status = 'queued' AND j.workspace_id > q.workspace_id
				        ORDER BY j.workspace_id LIMIT 1) AS next
				), room AS MATERIALIZED (
				    SELECT q.workspace_id AS workspace, r.running FROM queued q
				    CROSS JOIN LATERAL (SELECT count(*) AS running FROM jobs
				                        WHERE workspace_id = q.workspace_id AND status = 'running') AS r
				    WHERE q.workspace_id <> ALL(:skip) AND r.running < :maxRunning
				), turns AS MATERIALIZED (
				    SELECT room.workspace, turn FROM room
				    CROSS JOIN LATERAL generate_series(room.running + 1, least(:maxRunning, room.running + :limit)) AS turn
				    ORDER BY turn, random()
				    LIMIT :limit
				), shares AS (
				    SELECT workspace, min(turn) AS first_turn, count(*) AS share FROM turns GROUP BY workspace
				)
				SELECT %1$s FROM shares CROSS JOIN LATERAL (
				    SELECT %1$s, run_after FROM jobs
				    WHERE jobs.workspace_id = shares.workspace AND jobs.status = 'queued' AND jobs.run_after <= now()
				      AND NOT EXISTS (SELECT 1 FROM jobs d WHERE d.id = ANY(jobs.depends_on) AND d.status <> 'succeeded')
				    ORDER BY jobs.run_after, jobs.id
				    LIMIT shares.share
				    FOR UPDATE SKIP LOCKED
				) AS picked
				ORDER BY shares.first_turn
				         + row_number() OVER (PARTITION BY shares.workspace ORDER BY picked.run_after, picked.id),
				         picked.run_after, picked.id""".formatted(COLUMNS))
			.param("skip", skipWorkspaces.toArray(UUID[]::new))
			.param("limit", limit)
			.param("maxRunning", maxRunning)
			.query(this::map)
			.list();
	}

	/**
	 * Up to {@code limit} due jobs, oldest first, locked for this transaction (set up by
	 * {@link #prepareClaim}). SKIP LOCKED lets any number of workers claim at once without waiting
	 * on each other's rows; workspaces already at their running cap are skipped by the caller.
	 */
	List<JobRow> due(List<UUID> skipWorkspaces, int limit) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM jobs
				WHERE status = 'queued' AND run_after <= now() AND workspace_id <> ALL(:skip)
				  AND NOT EXISTS (SELECT 1 FROM jobs d WHERE d.id = ANY(jobs.depends_on) AND d.status <> 'succeeded')
				ORDER BY run_after, id
				LIMIT :limit
				FOR UPDATE SKIP LOCKED""")
			.param("skip", skipWorkspaces.toArray(UUID[]::new))
			.param("limit", limit)
			.query(this::map)
			.list();
	}

	/**
	 * Serializes claims per workspace for the rest of the transaction (advisory locks taken in
	 * workspace order, so two claimers never wait on each other crosswise), then counts each
	 * workspace's running jobs: two workers can never both see room for the last slot.
	 */
	Map<UUID, Integer> lockAndCountRunning(Collection<UUID> workspaces) {
		UUID[] sorted = workspaces.stream().sorted().toArray(UUID[]::new);
		jdbc.sql("""
				SELECT count(pg_advisory_xact_lock(hashtextextended(CAST(w AS text), 42)))
				FROM (SELECT w FROM unnest(CAST(:workspaces AS uuid[])) AS w ORDER BY w) AS ordered""")
			.param("workspaces", sorted)
			.query(Long.class)
			.single();
		Map<UUID, Integer> running = new HashMap<>();
		jdbc.sql("""
				SELECT workspace_id, count(*) AS running FROM jobs
				WHERE workspace_id = ANY(:workspaces) AND status = 'running'
				GROUP BY workspace_id""")
			.param("workspaces", sorted)
			.query((rs, n) -> running.put(rs.getObject("workspace_id", UUID.class), rs.getInt("running")))
			.list();
		return running;
	}

	/** Moves claimed jobs to running under this worker's lease; answers the jobs as they now are. */
	List<JobRow> markRunning(List<UUID> ids, String owner, Duration lease) {
		return jdbc.sql("""
				UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = :owner, last_worker = :owner,
				                lease_expires_at = now() + make_interval(secs => :lease),
				                started_at = coalesce(started_at, now()), error = NULL
				WHERE id = ANY(:ids) AND status = 'queued'
				RETURNING""" + " " + COLUMNS)
			.param("ids", ids.toArray(UUID[]::new))
			.param("owner", owner)
			.param("lease", seconds(lease))
			.query(this::map)
			.list();
	}

	/** Of these jobs, the ones {@code owner} still holds, locked until the transaction ends. */
	Set<UUID> lockHeld(List<UUID> ids, String owner) {
		return new HashSet<>(jdbc.sql("""
				SELECT id FROM jobs WHERE id = ANY(:ids) AND lease_owner = :owner AND status = 'running'
				ORDER BY id FOR UPDATE""")
			.param("ids", ids.toArray(UUID[]::new))
			.param("owner", owner)
			.query(UUID.class)
			.list());
	}

	/**
	 * Extends the leases this worker holds; answers the ids it no longer holds (canceled, rescued).
	 * Rows are locked in id order, as {@link #lockHeld} locks them, so the two never deadlock.
	 */
	List<UUID> heartbeat(String owner, List<UUID> ids, Duration lease) {
		List<UUID> held = jdbc.sql("""
				UPDATE jobs SET lease_expires_at = now() + make_interval(secs => :lease)
				WHERE id IN (SELECT id FROM jobs WHERE id = ANY(:ids) AND lease_owner = :owner AND status = 'running'
				             ORDER BY id FOR UPDATE)
				RETURNING id""")
			.param("ids", ids.toArray(UUID[]::new))
			.param("owner", owner)
			.param("lease", seconds(lease))
			.query(UUID.class)
			.list();
		return ids.stream().filter(id -> !held.contains(id)).toList();
	}

	void progress(UUID id, String owner, double fraction) {
		jdbc.sql("UPDATE jobs SET progress = :p WHERE id = :id AND lease_owner = :owner AND status = 'running'")
			.param("p", Math.max(0, Math.min(1, fraction)))
			.param("id", id)
			.param("owner", owner)
			.update();
	}

	void providerJobStarted(UUID id, String owner, String providerJobId) {
		jdbc.sql("UPDATE jobs SET provider_job_id = :pid WHERE id = :id AND lease_owner = :owner AND status = 'running'")
			.param("pid", providerJobId)
			.param("id", id)
			.param("owner", owner)
			.update();
	}

	/**
	 * Succeeds jobs with their result assets, only those this worker still holds; answers when each
	 * one it marked finished. Called with the jobs locked by {@link #lockHeld}, so all of them.
	 */
	Map<UUID, Instant> markSucceeded(List<UUID> ids, List<UUID> assetIds, String owner) {
		Map<UUID, Instant> finished = new HashMap<>();
		jdbc.sql("""
				UPDATE jobs SET status = 'succeeded', progress = 1, result_asset_id = t.asset, finished_at = now(),
				                lease_owner = NULL, lease_expires_at = NULL
				FROM unnest(CAST(:ids AS uuid[]), CAST(:assets AS uuid[])) AS t(id, asset)
				WHERE jobs.id = t.id AND jobs.lease_owner = :owner AND jobs.status = 'running'
				RETURNING jobs.id, jobs.finished_at""")
			.param("ids", ids.toArray(UUID[]::new))
			.param("assets", assetIds.toArray(UUID[]::new))
			.param("owner", owner)
			.query((rs, n) -> finished.put(rs.getObject("id", UUID.class),
					rs.getObject("finished_at", OffsetDateTime.class).toInstant()))
			.list();
		return finished;
	}

	/** Ends a job held by {@code owner} (or by anyone when owner is null) as failed. */
	Optional<JobRow> markFailed(UUID id, @Nullable String owner, String error) {
		return jdbc.sql("""
				UPDATE jobs SET status = 'failed', error = :error, finished_at = now(), lease_owner = NULL,
				                lease_expires_at = NULL
				WHERE id = :id AND status = 'running' AND (CAST(:owner AS text) IS NULL OR lease_owner = :owner)
				RETURNING""" + " " + COLUMNS)
			.param("id", id)
			.param("owner", owner)
			.param("error", error)
			.query(this::map)
			.optional();
	}

	/** Gives a held job back to the queue, to run again after {@code delay}. */
	boolean requeue(UUID id, @Nullable String owner, Duration delay, @Nullable String error, boolean countAttempt) {
		return jdbc.sql("""
				UPDATE jobs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, error = :error,
				                run_after = now() + make_interval(secs => :delay),
				                attempts = CASE WHEN :count THEN attempts ELSE attempts - 1 END
				WHERE id = :id AND status = 'running' AND (CAST(:owner AS text) IS NULL OR lease_owner = :owner)""")
			.param("id", id)
			.param("owner", owner)
			.param("delay", seconds(delay))
			.param("error", error)
			.param("count", countAttempt)
			.update() == 1;
	}

	Optional<JobRow> markCanceled(UUID id) {
		return jdbc.sql("""
				UPDATE jobs SET status = 'canceled', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
				WHERE id = :id AND status IN ('queued', 'running')
				RETURNING""" + " " + COLUMNS)
			.param("id", id)
			.query(this::map)
			.optional();
	}

	/**
	 * Fails every queued job that waits, directly or through others, on {@code jobId}: it can never
	 * run now. Answers them so their submitters can be refunded.
	 */
	List<JobRow> failDependents(UUID jobId) {
		return jdbc.sql("""
				WITH RECURSIVE blocked AS (
				    SELECT id FROM jobs WHERE :job = ANY(depends_on) AND status = 'queued'
				  UNION
				    SELECT j.id FROM jobs j JOIN blocked b ON b.id = ANY(j.depends_on) WHERE j.status = 'queued'
				)
				UPDATE jobs SET status = 'failed', error = 'a job it depends on did not succeed', finished_at = now()
				WHERE id IN (SELECT id FROM blocked) AND status = 'queued'
				RETURNING""" + " " + COLUMNS)
			.param("job", jobId)
			.query(this::map)
			.list();
	}

	/** The asset a finished job made, for jobs that take another job's result as input. */
	Optional<UUID> resultOf(UUID jobId) {
		return jdbc.sql("SELECT result_asset_id FROM jobs WHERE id = :id AND status = 'succeeded'")
			.param("id", jobId)
			.query(UUID.class)
			.optional();
	}

	/** Running jobs whose lease ran out: their worker died or hung. Locked, skipping any in use. */
	List<JobRow> expiredLeases(int limit) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM jobs WHERE status = 'running' AND lease_expires_at < now()
				ORDER BY lease_expires_at LIMIT :limit FOR UPDATE SKIP LOCKED""")
			.param("limit", limit)
			.query(this::map)
			.list();
	}

	/**
	 * Cancels every queued or running job the user submitted, locking them in id order (as a batch of
	 * endings does) so a worker ending one of them at the same moment either commits first, and the
	 * job stays succeeded, or finds it canceled and discards its result.
	 */
	List<JobRow> cancelUnfinished(UUID userId) {
		return jdbc.sql("""
				UPDATE jobs SET status = 'canceled', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
				WHERE id IN (SELECT id FROM jobs WHERE created_by = :user AND status IN ('queued', 'running')
				             ORDER BY id FOR UPDATE)
				RETURNING""" + " " + COLUMNS)
			.param("user", userId)
			.query(this::map)
			.list();
	}

	/**
	 * Removes the given keys, at any depth, from the requests of the user's jobs and marks exactly the
	 * requests that changed as erased; ids, times, costs and fingerprints stay.
	 */
	int erasePrompts(UUID userId, List<String> keys) {
		return jdbc.sql("""
				UPDATE jobs SET request = jsonb_without_keys(request, :keys) || jsonb_build_object('erased', true)
				WHERE created_by = :user AND jsonb_without_keys(request, :keys) <> request""")
			.param("user", userId)
			.param("keys", keys.toArray(String[]::new))
			.update();
	}

	private JobRow map(ResultSet rs, int row) throws SQLException {
		JobView view = new JobView(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
				rs.getObject("project_id", UUID.class), JobType.parse(rs.getString("type")),
				JobStatus.parse(rs.getString("status")), rs.getDouble("progress"), rs.getLong("cost"),
				rs.getString("idempotency_key"), json.readValue(rs.getString("request"), MAP),
				rs.getObject("result_asset_id", UUID.class), rs.getString("error"), rs.getInt("attempts"),
				instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"));
		return new JobRow(view, rs.getInt("max_attempts"), rs.getObject("created_by", UUID.class),
				rs.getString("provider_job_id"), rs.getObject("pipeline_id", UUID.class));
	}

	private static java.time.@Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
		return time == null ? null : time.toInstant();
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

}
