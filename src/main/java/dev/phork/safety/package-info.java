/**
 * Moderation of prompts, the safety events it records, their retention, and erasure of a user's
 * prompt text on request.
 */
@NullMarked
package dev.phork.safety;

import org.jspecify.annotations.NullMarked;
