/**
 * Merge requests: the collaboration around a merge. A request offers a source project's work to a
 * target project; whoever reads the target reads its requests (with the diff, the conflicts and
 * what regenerating the merge would cost), comments on them, and a writer of the target merges.
 */
@NullMarked
package dev.phork.mergerequests;

import org.jspecify.annotations.NullMarked;
