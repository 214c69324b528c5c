package dev.phork.storyboard;

import dev.phork.history.RegistryEntry;
import dev.phork.history.Scene;
import dev.phork.history.StoryboardSettings;
import dev.phork.history.Timeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/** Scene- and registry-level differences between two storyboards. */
public final class Diffs {

	private Diffs() {
	}

	public record Diff(UUID from, UUID to, List<String> settings, SceneDiff scenes, RegistryDiff registry) {
	}

	public record SceneDiff(List<UUID> added, List<UUID> removed, List<Change<UUID>> modified, boolean reordered) {
	}

	public record RegistryDiff(List<String> added, List<String> removed, List<Change<String>> modified) {
	}

	public record Change<K>(K id, List<String> fields) {
	}

	static Diff of(UUID fromId, Timeline from, UUID toId, Timeline to) {
		StoryboardSettings a = from.effectiveSettings();
		StoryboardSettings b = to.effectiveSettings();
		List<String> settings = changed(List.of(
				field("style", a.style(), b.style()), field("aspect", a.aspect(), b.aspect()),
				field("imageModel", a.imageModel(), b.imageModel()), field("videoModel", a.videoModel(), b.videoModel()),
				field("seed", a.seed(), b.seed()), field("continuity", a.continuity(), b.continuity())));
		Map<UUID, Scene> before = index(from.scenes(), Scene::id);
		Map<UUID, Scene> after = index(to.scenes(), Scene::id);
		List<UUID> added = after.keySet().stream().filter(id -> !before.containsKey(id)).toList();
		List<UUID> removed = before.keySet().stream().filter(id -> !after.containsKey(id)).toList();
		List<Change<UUID>> modified = new ArrayList<>();
		for (Map.Entry<UUID, Scene> entry : after.entrySet()) {
			Scene old = before.get(entry.getKey());
			if (old != null) {
				Scene now = entry.getValue();
				List<String> fields = changed(List.of(field("prompt", old.prompt(), now.prompt()),
						field("durationMs", old.durationMs(), now.durationMs()),
						field("assetTags", old.tags(), now.tags()), field("composition", old.composition(), now.composition()),
						field("keyframeAssetId", old.keyframeAssetId(), now.keyframeAssetId()),
						field("videoAssetId", old.videoAssetId(), now.videoAssetId()),
						field("audioAssetId", old.audioAssetId(), now.audioAssetId())));
				if (!fields.isEmpty()) {
					modified.add(new Change<>(entry.getKey(), fields));
				}
			}
		}
		List<UUID> keptBefore = before.keySet().stream().filter(after::containsKey).toList();
		List<UUID> keptAfter = after.keySet().stream().filter(before::containsKey).toList();
		Map<String, RegistryEntry> entriesBefore = index(from.entries(), RegistryEntry::tag);
		Map<String, RegistryEntry> entriesAfter = index(to.entries(), RegistryEntry::tag);
		List<Change<String>> entriesModified = new ArrayList<>();
		for (Map.Entry<String, RegistryEntry> entry : entriesAfter.entrySet()) {
			RegistryEntry old = entriesBefore.get(entry.getKey());
			if (old != null) {
				RegistryEntry now = entry.getValue();
				List<String> fields = changed(List.of(field("name", old.name(), now.name()),
						field("kind", old.kind(), now.kind()), field("description", old.description(), now.description()),
						field("referenceAssetId", old.referenceAssetId(), now.referenceAssetId())));
				if (!fields.isEmpty()) {
					entriesModified.add(new Change<>(entry.getKey(), fields));
				}
			}
		}
		return new Diff(fromId, toId, settings, new SceneDiff(added, removed, modified, !keptBefore.equals(keptAfter)),
				new RegistryDiff(entriesAfter.keySet().stream().filter(t -> !entriesBefore.containsKey(t)).toList(),
						entriesBefore.keySet().stream().filter(t -> !entriesAfter.containsKey(t)).toList(), entriesModified));
	}

	private static String field(String name, Object a, Object b) {
		return Objects.equals(a, b) ? "" : name;
	}

	private static List<String> changed(List<String> fields) {
		return fields.stream().filter(f -> !f.isEmpty()).toList();
	}

	private static <K, V> Map<K, V> index(List<V> values, Function<V, K> key) {
		Map<K, V> map = new LinkedHashMap<>();
		values.forEach(v -> map.put(key.apply(v), v));
		return map;
	}

}
