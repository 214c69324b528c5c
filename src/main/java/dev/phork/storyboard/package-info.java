/**
 * Storyboards in commits: settings, the asset registry of reusable characters, objects, places and
 * styles, scenes, fingerprints of what generated each artifact, plans, pipelines and forks with
 * edits.
 */
@NullMarked
package dev.phork.storyboard;

import org.jspecify.annotations.NullMarked;
