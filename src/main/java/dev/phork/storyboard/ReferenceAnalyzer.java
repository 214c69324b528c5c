package dev.phork.storyboard;

import java.nio.file.Path;

/**
 * Describes an uploaded reference image so that it can join the registry: what kind of entry it
 * probably is, a description, and an embedding that recognises the same subject when it is uploaded
 * again.
 */
public interface ReferenceAnalyzer {

	/**
	 * Decodes the picture: slow, so it is called once per picture and never inside a transaction
	 * (see {@link ReferenceSubjects}).
	 *
	 * @throws IllegalArgumentException if the file is missing or not an image this analyzer can read
	 * @throws dev.phork.media.ImageTooLarge if its header declares more pixels than the limit, before
	 * anything is decoded
	 */
	Subject analyze(Path image);

}
