package dev.phork.history;

import dev.phork.identity.Caller;

/**
 * Applies {@link ForkEdits} to the storyboard a fork starts from. Implemented by the storyboard
 * feature, which owns the registry's rules (tag sequences, manifesting of new uploads).
 */
public interface ForkEditor {

	Timeline apply(Caller caller, ProjectView fork, Timeline base, ForkEdits edits);

}
