package dev.phork.storyboard;

import java.util.List;

/**
 * What a reference image shows, as far as a {@link ReferenceAnalyzer} can tell.
 *
 * @param kind {@code character}, {@code object}, {@code location} or {@code style}
 * @param description a short description in words, for people and prompts
 * @param embedding a unit vector to compare with {@link Embeddings#cosine}; only vectors from the
 * same analyzer are comparable
 */
public record Subject(String kind, String description, List<Double> embedding) {
}
