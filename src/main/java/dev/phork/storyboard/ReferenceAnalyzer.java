package dev.phork.storyboard;

import java.nio.file.Path;

/**
 * Describes an uploaded reference image so that it can join the registry: what kind of entry it
 * probably is, a description, and an embedding that recognises the same subject when it is uploaded
 * again.
 */
public interface ReferenceAnalyzer {

	/**
	 * @throws IllegalArgumentException if the file is missing or not an image this analyzer can read
	 */
	Subject analyze(Path image);

}
