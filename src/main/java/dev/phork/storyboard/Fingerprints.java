package dev.phork.storyboard;

import dev.phork.common.Hashes;
import dev.phork.history.RegistryEntry;
import dev.phork.history.Scene;
import dev.phork.history.StoryboardSettings;
import dev.phork.history.Timeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The inputs that produce each artifact of a storyboard, and their fingerprints. An artifact is
 * stale exactly when the fingerprint of its inputs under a commit differs from the one recorded when
 * it was generated; every seed rule (style, prompt, entry edits, continuity, deletions) follows
 * from what goes in here:
 * <ul>
 * <li>keyframe: the rewritten prompt (scene prompt + the used entries' descriptions), style, aspect,
 * image model, the scene's seed, the used entries, and with continuity the previous scene's clip;
 * <li>video (animated from the keyframe): the rewritten prompt, video model, seed, camera movement,
 * duration and the keyframe's fingerprint (upstream);
 * <li>audio (the scene's sound bed): style, duration and the scene's seed, not its words, so a prompt
 * edit leaves it alone;
 * <li>render: the scenes' video and audio fingerprints in order.
 * </ul>
 * A scene's seed derives from the storyboard seed and the scene's id, so inserting or moving scenes
 * does not reseed the others.
 */
@Component
class Fingerprints {

	private final JsonMapper json;

	Fingerprints(JsonMapper json) {
		this.json = json;
	}

	/**
	 * The inputs and fingerprints of one scene's artifacts; {@code durationMs} is the length its clip
	 * and sound bed are made with.
	 */
	record SceneInputs(UUID sceneId, String rewrittenPrompt, long seed, int durationMs, Map<String, Object> keyframe,
			String keyframeFingerprint, Map<String, Object> video, String videoFingerprint, Map<String, Object> audio,
			String audioFingerprint) {
	}

	record StoryboardInputs(List<SceneInputs> scenes, Map<String, Object> render, String renderFingerprint) {
	}

	StoryboardInputs of(Timeline storyboard) {
		StoryboardSettings settings = storyboard.effectiveSettings();
		Map<String, RegistryEntry> registry = new LinkedHashMap<>();
		storyboard.entries().forEach(entry -> registry.put(entry.tag(), entry));
		List<SceneInputs> scenes = new ArrayList<>();
		String previousVideo = null;
		for (Scene scene : storyboard.scenes()) {
			UUID sceneId = Objects.requireNonNull(scene.id(), "scenes have ids once committed");
			String prompt = scene.prompt() == null ? "" : scene.prompt();
			String rewritten = rewrite(prompt, scene.tags(), registry);
			long seed = sceneSeed(settings.seed() == null ? 0 : settings.seed(), sceneId);
			int duration = scene.durationMs() == null ? 4500 : scene.durationMs();
			Map<String, Object> entries = new TreeMap<>();
			for (String tag : scene.tags()) {
				RegistryEntry entry = registry.get(tag);
				if (entry != null) {
					entries.put(tag, entryHash(entry));
				}
			}
			Map<String, Object> keyframe = new TreeMap<>();
			keyframe.put("artifact", "keyframe");
			keyframe.put("scenePrompt", prompt);
			keyframe.put("prompt", rewritten);
			keyframe.put("style", settings.style());
			keyframe.put("aspect", settings.aspect());
			keyframe.put("model", settings.imageModel());
			keyframe.put("seed", seed);
			keyframe.put("entries", entries);
			keyframe.put("previous", Boolean.TRUE.equals(settings.continuity()) ? previousVideo : null);
			String keyframeFp = fingerprint(keyframe);
			Map<String, Object> video = new TreeMap<>();
			video.put("artifact", "video");
			video.put("scenePrompt", prompt);
			video.put("prompt", rewritten);
			video.put("model", settings.videoModel());
			video.put("seed", seed);
			video.put("camera", scene.composition() == null ? null : scene.composition().cameraMovement());
			video.put("durationMs", duration);
			video.put("upstream", keyframeFp);
			String videoFp = fingerprint(video);
			Map<String, Object> audio = new TreeMap<>();
			audio.put("artifact", "audio");
			audio.put("style", settings.style());
			audio.put("seed", seed);
			audio.put("durationMs", duration);
			String audioFp = fingerprint(audio);
			scenes.add(new SceneInputs(sceneId, rewritten, seed, duration, keyframe, keyframeFp, video, videoFp, audio,
					audioFp));
			previousVideo = videoFp;
		}
		Map<String, Object> render = new TreeMap<>();
		render.put("artifact", "render");
		render.put("scenes", scenes.stream().map(s -> List.of(s.videoFingerprint(), s.audioFingerprint())).toList());
		return new StoryboardInputs(scenes, render, fingerprint(render));
	}

	/**
	 * The prompt a model actually gets: the scene's prompt, then each used entry as
	 * {@code TAG (name): description}, so an entry edit reaches exactly the scenes that use it.
	 */
	static String rewrite(String prompt, List<String> tags, Map<String, RegistryEntry> registry) {
		StringBuilder out = new StringBuilder(prompt.strip());
		for (String tag : tags) {
			RegistryEntry entry = registry.get(tag);
			if (entry != null) {
				out.append(out.isEmpty() ? "" : " | ").append(tag).append(" (").append(entry.name()).append(')');
				if (entry.description() != null && !entry.description().isBlank()) {
					out.append(": ").append(entry.description().strip());
				}
			}
		}
		return out.toString();
	}

	/**
	 * Why an artifact's recorded inputs differ from the inputs it would have now, in words a user
	 * can act on ("prompt changed", "entry CHAR_01 modified", "upstream stale", ...).
	 */
	@SuppressWarnings("unchecked")
	static List<String> reasons(@Nullable Map<String, Object> recorded, Map<String, Object> now) {
		if (recorded == null) {
			return List.of("inputs unknown");
		}
		List<String> reasons = new ArrayList<>();
		if (!Objects.equals(recorded.get("scenePrompt"), now.get("scenePrompt"))) {
			reasons.add("prompt changed");
		}
		if (!Objects.equals(recorded.get("style"), now.get("style")) || !Objects.equals(recorded.get("aspect"), now.get("aspect"))) {
			reasons.add("style changed");
		}
		for (String setting : List.of("model", "seed", "camera", "durationMs")) {
			if (!Objects.equals(String.valueOf(recorded.get(setting)), String.valueOf(now.get(setting)))) {
				reasons.add(setting + " changed");
			}
		}
		Map<String, Object> before = recorded.get("entries") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
		Map<String, Object> after = now.get("entries") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
		for (String tag : new java.util.TreeSet<>(before.keySet())) {
			if (!after.containsKey(tag)) {
				reasons.add("entry " + tag + " removed");
			}
			else if (!Objects.equals(before.get(tag), after.get(tag))) {
				reasons.add("entry " + tag + " modified");
			}
		}
		for (String tag : new java.util.TreeSet<>(after.keySet())) {
			if (!before.containsKey(tag)) {
				reasons.add("entry " + tag + " added");
			}
		}
		if (!Objects.equals(recorded.get("upstream"), now.get("upstream"))) {
			reasons.add("upstream stale");
		}
		if (!Objects.equals(recorded.get("previous"), now.get("previous"))) {
			reasons.add("continuity");
		}
		if (reasons.isEmpty()) {
			reasons.add("inputs changed");
		}
		return reasons;
	}

	String fingerprint(Map<String, Object> inputs) {
		return sha256(json.writeValueAsString(inputs));
	}

	private static String entryHash(RegistryEntry entry) {
		return sha256(entry.name() + "|" + entry.kind() + "|" + entry.description() + "|" + entry.referenceAssetId())
			.substring(0, 16);
	}

	private static long sceneSeed(long storyboardSeed, UUID sceneId) {
		return Math.floorMod(storyboardSeed * 31 + sceneId.getMostSignificantBits() ^ sceneId.getLeastSignificantBits(),
				1_000_000_007L);
	}

	private static String sha256(String text) {
		return Hashes.sha256Hex(text);
	}

}
