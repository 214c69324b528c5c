package dev.phork.storyboard;

import java.util.List;

/**
 * A scene as a {@link StoryboardWriter} proposes it, before it is committed.
 *
 * @param prompt what the scene shows
 * @param assetTags tags of the registry entries that appear in the scene, in registry order
 * @param composition framing and camera movement
 * @param durationMs how long the scene lasts
 */
public record DraftScene(String prompt, List<String> assetTags, Composition composition, int durationMs) {
}
