/**
 * The "git" core: projects, their immutable commit graph, forks that share history instead of
 * copying it, and lineage.
 */
@NullMarked
package dev.phork.history;

import org.jspecify.annotations.NullMarked;
