package dev.phork.storyboard;

import java.util.List;

/**
 * Turns a logline or a script into draft scenes. {@link LocalStoryboardWriter} does it with plain
 * rules, offline and deterministically; a language model can do it better behind the same interface.
 */
public interface StoryboardWriter {

	/** The most scenes one storyboard gets, whether asked for or suggested by the text. */
	int MAX_SCENES = 200;

	/**
	 * @param text a logline or a script
	 * @param sceneCount exactly how many scenes to write, up to {@value #MAX_SCENES}; 0 for as many as
	 * the text suggests, still at most {@value #MAX_SCENES}
	 * @param registry the entries a scene may be tagged with
	 * @throws IllegalArgumentException if the text holds no sentence or {@code sceneCount} is out of
	 * range
	 */
	List<DraftScene> write(String text, int sceneCount, List<EntryRef> registry);

}
