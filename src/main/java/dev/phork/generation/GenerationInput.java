package dev.phork.generation;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Everything a generation depends on. The same input must give the same output from a
 * deterministic provider (the local one), which is what makes memoization and tests possible.
 *
 * @param prompt the prompt (for audio: the text to voice)
 * @param seed the seed; a provider derives all its randomness from prompt and seed
 * @param width width in pixels for images and animations (text-to-video clips use
 * {@link dev.phork.media.MediaFormat})
 * @param height height in pixels for images and animations
 * @param durationMs duration for videos, animations and audio; ignored for images
 * @param sourceImage the image to animate ({@link GenerationKind#ANIMATE} only)
 */
public record GenerationInput(GenerationKind kind, String prompt, long seed, int width, int height, long durationMs,
		@Nullable Path sourceImage) {
}
