package dev.phork.history;

import dev.phork.identity.Caller;
import java.util.UUID;

/**
 * Applies {@link ForkEdits} to the storyboard a fork starts from. Implemented by the storyboard
 * feature, which owns the registry's rules (tag sequences, manifesting of new uploads).
 */
public interface ForkEditor {

	/**
	 * The slow part of the edits, done before the fork's transaction opens so that none of it holds
	 * a connection or the source's row lock: new reference uploads are analysed here. Called once the
	 * caller may read the source and fork into the workspace; refusing an upload here (too large,
	 * unreadable) refuses the fork before anything is written.
	 */
	void prepare(Caller caller, ProjectView source, UUID workspaceId, ForkEdits edits);

	/** Applies the edits inside the fork's transaction, after {@link #prepare}. */
	Timeline apply(Caller caller, ProjectView fork, Timeline base, ForkEdits edits);

}
