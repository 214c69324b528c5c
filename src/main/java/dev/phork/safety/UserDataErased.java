package dev.phork.safety;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Published inside the erasure transaction: each feature that keeps a user's prompt text removes it
 * and reports how many rows it changed under its own name.
 */
public record UserDataErased(UUID userId, Map<String, Integer> erased) {

	public UserDataErased(UUID userId) {
		this(userId, new ConcurrentHashMap<>());
	}

	public void report(String what, int rows) {
		erased.merge(what, rows, Integer::sum);
	}

}
