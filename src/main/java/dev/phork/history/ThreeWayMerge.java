package dev.phork.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The three-way merge of storyboards, field by field, against their merge base. A value changed on
 * one side takes that side's value; the same change on both sides applies once; different changes
 * to the same value are a conflict, answered by a resolution or reported, never guessed. The values
 * are scene fields (scenes matched by their id, stable across forks), the scene order, each setting
 * and each registry entry's fields. A scene or entry deleted on one side and changed on the other,
 * or added on both sides differently, is a conflict of the whole scene or entry.
 *
 * <p>Order: when only one side reordered the scenes all three share, its order wins and the other
 * side's new scenes are placed after the scene they follow there; both reordering differently is a
 * conflict at {@code order}. So reordering on one side and editing on the other both apply.
 *
 * <p>Pure: no database, no clock. Paths are {@code scenes.<id>.<field>}, {@code scenes.<id>},
 * {@code order}, {@code settings.<field>}, {@code registry.<TAG>.<field>} and {@code registry.<TAG>}.
 */
final class ThreeWayMerge {

	static final List<String> SCENE_FIELDS = List.of("prompt", "durationMs", "keyframeAssetId", "videoAssetId",
			"audioAssetId", "assetTags", "composition");

	static final List<String> SETTINGS_FIELDS = List.of("style", "aspect", "imageModel", "videoModel", "seed",
			"continuity");

	/** The registry fields merged one by one; an entry's embedding follows its reference picture. */
	static final List<String> ENTRY_FIELDS = List.of("kind", "name", "description", "referenceAssetId");

	record Conflict(@Nullable UUID sceneId, String path, JsonNode base, JsonNode ours, JsonNode theirs) {
	}

	/**
	 * How a conflict is settled: {@code take} one side's value ({@code ours}, {@code theirs},
	 * {@code base}), or give the {@code value} itself.
	 */
	record Resolution(String path, @Nullable String take, @Nullable JsonNode value) {

		JsonNode pick(JsonNode base, JsonNode ours, JsonNode theirs) {
			if (take == null) {
				return value == null ? NULL : value;
			}
			return switch (take) {
				case "ours" -> ours;
				case "theirs" -> theirs;
				default -> base;
			};
		}

	}

	/** The merged storyboard (as JSON, to be read and validated) when nothing is left in conflict. */
	record Result(@Nullable ObjectNode timeline, List<Conflict> conflicts, Set<String> unusedResolutions) {

		boolean clean() {
			return conflicts.isEmpty();
		}

	}

	private static final JsonNode NULL = JsonNodeFactory.instance.nullNode();

	private final JsonMapper json;

	private final Map<String, Resolution> resolutions;

	private final Set<String> used = new HashSet<>();

	private final List<Conflict> conflicts = new ArrayList<>();

	private ThreeWayMerge(JsonMapper json, List<Resolution> resolutions) {
		this.json = json;
		this.resolutions = new HashMap<>();
		resolutions.forEach(r -> this.resolutions.put(r.path(), r));
	}

	static Result merge(JsonMapper json, Timeline base, Timeline ours, Timeline theirs, List<Resolution> resolutions) {
		return new ThreeWayMerge(json, resolutions).run(base, ours, theirs);
	}

	private Result run(Timeline base, Timeline ours, Timeline theirs) {
		ObjectNode merged = JsonNodeFactory.instance.objectNode();
		merged.set("settings", settings(base, ours, theirs));
		merged.set("registry", registry(base, ours, theirs));
		merged.set("scenes", json.valueToTree(scenes(base, ours, theirs)));
		Set<String> unused = new LinkedHashSet<>(resolutions.keySet());
		unused.removeAll(used);
		return new Result(conflicts.isEmpty() ? merged : null, List.copyOf(conflicts), unused);
	}

	private JsonNode settings(Timeline base, Timeline ours, Timeline theirs) {
		if (base.settings() == null && ours.settings() == null && theirs.settings() == null) {
			return NULL;
		}
		JsonNode b = tree(base.settings());
		JsonNode o = tree(ours.settings());
		JsonNode t = tree(theirs.settings());
		ObjectNode result = JsonNodeFactory.instance.objectNode();
		for (String field : SETTINGS_FIELDS) {
			result.set(field, value("settings." + field, null, at(b, field), at(o, field), at(t, field)));
		}
		return result;
	}

	private JsonNode registry(Timeline base, Timeline ours, Timeline theirs) {
		if (base.registry() == null && ours.registry() == null && theirs.registry() == null) {
			return NULL;
		}
		Map<String, JsonNode> b = byTag(base);
		Map<String, JsonNode> o = byTag(ours);
		Map<String, JsonNode> t = byTag(theirs);
		Set<String> tags = new LinkedHashSet<>(o.keySet());
		tags.addAll(t.keySet());
		tags.addAll(b.keySet());
		List<JsonNode> entries = new ArrayList<>();
		for (String tag : tags) {
			JsonNode entry = object("registry." + tag, null, b.get(tag), o.get(tag), t.get(tag),
					(bb, oo, tt) -> entry(tag, bb, oo, tt));
			if (!entry.isNull()) {
				ObjectNode withTag = asObject("registry." + tag, entry);
				withTag.set("tag", JsonNodeFactory.instance.stringNode(tag));
				entries.add(withTag);
			}
		}
		return json.valueToTree(entries);
	}

	private JsonNode entry(String tag, JsonNode b, JsonNode o, JsonNode t) {
		ObjectNode result = JsonNodeFactory.instance.objectNode();
		result.set("tag", JsonNodeFactory.instance.stringNode(tag));
		for (String field : ENTRY_FIELDS) {
			result.set(field, value("registry." + tag + "." + field, null, at(b, field), at(o, field), at(t, field)));
		}
		JsonNode reference = result.get("referenceAssetId");
		JsonNode embedding = NULL;
		for (JsonNode side : List.of(o, t, b)) {
			if (at(side, "referenceAssetId").equals(reference)) {
				embedding = at(side, "embedding");
				break;
			}
		}
		result.set("embedding", embedding);
		return result;
	}

	private List<JsonNode> scenes(Timeline base, Timeline ours, Timeline theirs) {
		Map<UUID, JsonNode> b = byId(base);
		Map<UUID, JsonNode> o = byId(ours);
		Map<UUID, JsonNode> t = byId(theirs);
		Set<UUID> ids = new LinkedHashSet<>(o.keySet());
		ids.addAll(t.keySet());
		ids.addAll(b.keySet());
		Map<UUID, JsonNode> merged = new LinkedHashMap<>();
		for (UUID id : ids) {
			JsonNode scene = object("scenes." + id, id, b.get(id), o.get(id), t.get(id), (bb, oo, tt) -> scene(id, bb, oo, tt));
			if (!scene.isNull()) {
				ObjectNode withId = asObject("scenes." + id, scene);
				withId.set("id", json.valueToTree(id));
				merged.put(id, withId);
			}
		}
		List<UUID> order = order(base, ours, theirs, merged.keySet());
		return order.stream().map(merged::get).toList();
	}

	private JsonNode scene(UUID id, JsonNode b, JsonNode o, JsonNode t) {
		ObjectNode result = JsonNodeFactory.instance.objectNode();
		for (String field : SCENE_FIELDS) {
			result.set(field, value("scenes." + id + "." + field, id, at(b, field), at(o, field), at(t, field)));
		}
		return result;
	}

	private interface FieldMerge {

		JsonNode apply(JsonNode base, JsonNode ours, JsonNode theirs);

	}

	/**
	 * A scene or registry entry as a whole: present on each side or not. Kept on both sides (or
	 * added on both), it merges field by field when it has a base, and must be equal otherwise;
	 * deleted on one side, it stays deleted unless the other side changed it (a conflict).
	 */
	private JsonNode object(String path, @Nullable UUID sceneId, @Nullable JsonNode base, @Nullable JsonNode ours,
			@Nullable JsonNode theirs, FieldMerge fields) {
		if (ours != null && theirs != null && base != null) {
			return fields.apply(base, ours, theirs);
		}
		JsonNode b = base == null ? NULL : base;
		JsonNode o = ours == null ? NULL : ours;
		JsonNode t = theirs == null ? NULL : theirs;
		return value(path, sceneId, b, o, t);
	}

	private JsonNode value(String path, @Nullable UUID sceneId, JsonNode base, JsonNode ours, JsonNode theirs) {
		if (ours.equals(theirs) || theirs.equals(base)) {
			return ours;
		}
		if (ours.equals(base)) {
			return theirs;
		}
		Resolution resolution = resolutions.get(path);
		if (resolution != null) {
			used.add(path);
			return resolution.pick(base, ours, theirs);
		}
		conflicts.add(new Conflict(sceneId, path, base, ours, theirs));
		return ours;
	}

	/**
	 * The merged order of the surviving scenes: the order of the side that reordered the scenes all
	 * three share (ours when neither or both alike did), then every other surviving scene placed
	 * after the scene it follows on its side (ours, theirs, then the base).
	 */
	private List<UUID> order(Timeline base, Timeline ours, Timeline theirs, Set<UUID> surviving) {
		List<UUID> b = ids(base);
		List<UUID> o = ids(ours);
		List<UUID> t = ids(theirs);
		Set<UUID> shared = new HashSet<>(b);
		shared.retainAll(o);
		shared.retainAll(t);
		shared.retainAll(surviving);
		List<UUID> bs = b.stream().filter(shared::contains).toList();
		List<UUID> os = o.stream().filter(shared::contains).toList();
		List<UUID> ts = t.stream().filter(shared::contains).toList();
		boolean oursMoved = !os.equals(bs);
		boolean theirsMoved = !ts.equals(bs);
		List<UUID> primary = theirsMoved && !oursMoved ? t : o;
		if (oursMoved && theirsMoved && !os.equals(ts)) {
			Resolution resolution = resolutions.get("order");
			if (resolution == null) {
				conflicts.add(new Conflict(null, "order", json.valueToTree(bs), json.valueToTree(os), json.valueToTree(ts)));
			}
			else {
				used.add("order");
				if (resolution.take() == null) {
					return explicitOrder(resolution.value(), surviving);
				}
				primary = switch (resolution.take()) {
					case "theirs" -> t;
					case "base" -> b;
					default -> o;
				};
			}
		}
		List<UUID> result = new ArrayList<>(primary.stream().filter(surviving::contains).toList());
		for (List<UUID> side : List.of(o, t, b)) {
			placeMissing(result, side, surviving);
		}
		return result;
	}

	private static void placeMissing(List<UUID> result, List<UUID> side, Set<UUID> surviving) {
		int insertAt = 0;
		for (UUID id : side) {
			int at = result.indexOf(id);
			if (at >= 0) {
				insertAt = at + 1;
			}
			else if (surviving.contains(id)) {
				result.add(insertAt++, id);
			}
		}
	}

	private List<UUID> explicitOrder(@Nullable JsonNode value, Set<UUID> surviving) {
		List<UUID> order = new ArrayList<>();
		if (value != null && value.isArray()) {
			for (JsonNode id : value) {
				order.add(parseUuid(id));
			}
		}
		if (order.size() != surviving.size() || !new HashSet<>(order).equals(surviving)) {
			throw new InvalidResolution("order",
					"the value for order must list every scene id of the merged storyboard exactly once");
		}
		return order;
	}

	private static UUID parseUuid(JsonNode node) {
		try {
			return UUID.fromString(node.asString());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidResolution("order", "the value for order must list scene ids");
		}
	}

	/** A resolution whose value cannot stand where it is put. */
	static final class InvalidResolution extends RuntimeException {

		private final String path;

		InvalidResolution(String path, String message) {
			super(message, null, false, false);
			this.path = path;
		}

		String path() {
			return path;
		}

	}

	private static ObjectNode asObject(String path, JsonNode node) {
		if (!(node instanceof ObjectNode object)) {
			throw new InvalidResolution(path, "the value for " + path + " must be an object, or null to drop it");
		}
		return object.deepCopy();
	}

	private JsonNode tree(@Nullable Object value) {
		return value == null ? JsonNodeFactory.instance.objectNode() : json.valueToTree(value);
	}

	private static JsonNode at(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value == null ? NULL : value;
	}

	private Map<String, JsonNode> byTag(Timeline timeline) {
		Map<String, JsonNode> map = new LinkedHashMap<>();
		timeline.entries().forEach(e -> map.put(e.tag(), json.valueToTree(e)));
		return map;
	}

	private Map<UUID, JsonNode> byId(Timeline timeline) {
		Map<UUID, JsonNode> map = new LinkedHashMap<>();
		for (Scene scene : timeline.scenes()) {
			ObjectNode node = json.valueToTree(scene);
			node.remove("id");
			map.put(scene.id(), node);
		}
		return map;
	}

	private static List<UUID> ids(Timeline timeline) {
		return timeline.scenes().stream().map(Scene::id).toList();
	}

}
