/**
 * Generation providers behind one interface: the built-in {@code local} provider makes real media
 * with FFmpeg, offline and deterministically; remote adapters plug in beside it.
 */
@NullMarked
package dev.phork.generation;

import org.jspecify.annotations.NullMarked;
