/**
 * The command-line walk-through of seed 000's Phase 1, run against a real server over HTTP.
 */
@NullMarked
package dev.phork.demo;

import org.jspecify.annotations.NullMarked;
