package dev.phork.storyboard;

/**
 * A registry entry as a {@link StoryboardWriter} needs it: the name to look for in the text, and the
 * tag to put on the scenes that mention it.
 */
public record EntryRef(String tag, String name) {
}
