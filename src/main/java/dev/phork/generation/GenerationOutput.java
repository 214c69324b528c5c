package dev.phork.generation;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A finished generation: a file in the attempt's work folder, and what made it.
 *
 * @param durationMs measured duration for time-based media, null for images
 */
public record GenerationOutput(Path file, String mimeType, @Nullable Long durationMs, String provider, String model) {
}
