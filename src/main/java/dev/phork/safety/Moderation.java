package dev.phork.safety;

import java.util.Optional;

/** Decides whether a prompt may be generated; a remote moderation API can implement this later. */
public interface Moderation {

	/** The reason the text is refused, or empty when it may be generated. */
	Optional<String> refusal(String text);

}
