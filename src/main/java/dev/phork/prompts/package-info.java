/**
 * The forkable prompt library (seed 001): prompts with the same lineage rules as projects.
 */
@NullMarked
package dev.phork.prompts;

import org.jspecify.annotations.NullMarked;
