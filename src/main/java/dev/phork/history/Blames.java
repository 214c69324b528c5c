package dev.phork.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who set what: for each scene of a commit, the commit that created it ({@code origin}) and the
 * commit that last set each field. Each commit's row is derived from its parents' rows when the
 * commit is written: a field equal to the first parent's keeps that attribution, else one equal
 * to the merge parent's keeps that one, else the commit itself set it. So blame reads one row
 * whatever the length of the history, and follows both parents across forks and merges. Commits
 * from before blame existed get their row the first time it is needed.
 */
@Component
class Blames {

	static final String ORIGIN = "origin";

	private static final Map<String, Function<Scene, @Nullable Object>> FIELDS = fields();

	private static final TypeReference<Map<UUID, Map<String, UUID>>> TYPE = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Commits commits;

	Blames(JdbcClient jdbc, JsonMapper json, Commits commits) {
		this.jdbc = jdbc;
		this.json = json;
		this.commits = commits;
	}

	/** Writes the blame of a commit just inserted, from its parents'. */
	void record(CommitView commit) {
		Map<UUID, Map<String, UUID>> parent = commit.parentCommitId() == null ? Map.of() : of(commit.parentCommitId());
		Map<UUID, Map<String, UUID>> merged = commit.mergeParentId() == null ? Map.of() : of(commit.mergeParentId());
		Timeline parentTimeline = timeline(commit.parentCommitId());
		Timeline mergedTimeline = timeline(commit.mergeParentId());
		store(commit.id(), derive(commit, parentTimeline, parent, mergedTimeline, merged));
	}

	/** The blame of a commit: its row, or, for a commit older than blame, one derived now. */
	Map<UUID, Map<String, UUID>> of(UUID commitId) {
		Optional<Map<UUID, Map<String, UUID>>> stored = find(commitId);
		if (stored.isPresent()) {
			return stored.get();
		}
		// Only commits written before blame existed lack a row, and none of those is a merge: walk
		// their first parents back to a commit with a row and derive forward, oldest first.
		List<CommitView> missing = new ArrayList<>();
		Map<UUID, Map<String, UUID>> known = Map.of();
		Timeline knownTimeline = Timeline.empty();
		CommitView current = commits.find(commitId).orElseThrow();
		while (true) {
			missing.add(current);
			if (current.parentCommitId() == null) {
				break;
			}
			Optional<Map<UUID, Map<String, UUID>>> parent = find(current.parentCommitId());
			CommitView parentCommit = commits.find(current.parentCommitId()).orElseThrow();
			if (parent.isPresent()) {
				known = parent.get();
				knownTimeline = parentCommit.timeline();
				break;
			}
			current = parentCommit;
		}
		Collections.reverse(missing);
		for (CommitView commit : missing) {
			known = derive(commit, knownTimeline, known, Timeline.empty(), Map.of());
			knownTimeline = commit.timeline();
			store(commit.id(), known);
		}
		return known;
	}

	static Map<UUID, Map<String, UUID>> derive(CommitView commit, Timeline parent, Map<UUID, Map<String, UUID>> parentBlame,
			Timeline merged, Map<UUID, Map<String, UUID>> mergedBlame) {
		Map<UUID, Scene> parentScenes = byId(parent);
		Map<UUID, Scene> mergedScenes = byId(merged);
		Map<UUID, Map<String, UUID>> result = new LinkedHashMap<>();
		for (Scene scene : commit.timeline().scenes()) {
			Scene p = parentScenes.get(scene.id());
			Scene m = mergedScenes.get(scene.id());
			Map<String, UUID> pb = p == null ? null : parentBlame.get(scene.id());
			Map<String, UUID> mb = m == null ? null : mergedBlame.get(scene.id());
			Map<String, UUID> fields = new LinkedHashMap<>();
			fields.put(ORIGIN, pb != null ? pb.get(ORIGIN) : mb != null ? mb.get(ORIGIN) : commit.id());
			FIELDS.forEach((name, read) -> {
				Object value = read.apply(scene);
				UUID by = commit.id();
				if (pb != null && Objects.equals(read.apply(p), value)) {
					by = pb.get(name);
				}
				else if (mb != null && Objects.equals(read.apply(m), value)) {
					by = mb.get(name);
				}
				fields.put(name, by);
			});
			result.put(scene.id(), fields);
		}
		return result;
	}

	private Timeline timeline(@Nullable UUID commitId) {
		return commitId == null ? Timeline.empty() : commits.find(commitId).orElseThrow().timeline();
	}

	private Optional<Map<UUID, Map<String, UUID>>> find(UUID commitId) {
		return jdbc.sql("SELECT scenes FROM commit_blame WHERE commit_id = :commit")
			.param("commit", commitId)
			.query(String.class)
			.optional()
			.map(text -> json.readValue(text, TYPE));
	}

	private void store(UUID commitId, Map<UUID, Map<String, UUID>> scenes) {
		jdbc.sql("""
				INSERT INTO commit_blame (commit_id, scenes) VALUES (:commit, CAST(:scenes AS jsonb))
				ON CONFLICT (commit_id) DO NOTHING""")
			.param("commit", commitId)
			.param("scenes", json.writeValueAsString(scenes))
			.update();
	}

	private static Map<UUID, Scene> byId(Timeline timeline) {
		Map<UUID, Scene> map = new HashMap<>();
		timeline.scenes().forEach(s -> map.put(s.id(), s));
		return map;
	}

	private static Map<String, Function<Scene, @Nullable Object>> fields() {
		Map<String, Function<Scene, @Nullable Object>> fields = new LinkedHashMap<>();
		fields.put("prompt", Scene::prompt);
		fields.put("durationMs", Scene::durationMs);
		fields.put("keyframeAssetId", Scene::keyframeAssetId);
		fields.put("videoAssetId", Scene::videoAssetId);
		fields.put("audioAssetId", Scene::audioAssetId);
		fields.put("assetTags", Scene::assetTags);
		fields.put("composition", Scene::composition);
		return Collections.unmodifiableMap(fields);
	}

}
