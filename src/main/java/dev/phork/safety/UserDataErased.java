package dev.phork.safety;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Published inside the erasure transaction: each feature that keeps a user's prompt text removes it
 * and reports how many rows it changed under its own name.
 */
public record UserDataErased(UUID userId, Map<String, Integer> erased) {

	/**
	 * The JSON keys under which Phork stores, at any depth, text a user wrote: prompts and audio
	 * text, the scene prompt and style among fingerprint inputs, and in storyboards the scene prompts
	 * and the registry entries' names and descriptions (which the rewritten prompt repeats). Ids,
	 * numbers, settings and fingerprints are under other keys and stay.
	 */
	public static final List<String> TEXT_KEYS = List.of("prompt", "text", "scenePrompt", "style", "name",
			"description");

	public UserDataErased(UUID userId) {
		this(userId, new ConcurrentHashMap<>());
	}

	public void report(String what, int rows) {
		erased.merge(what, rows, Integer::sum);
	}

}
