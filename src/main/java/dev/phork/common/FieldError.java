package dev.phork.common;

/** One invalid field of a request, named by its JSON path ({@code timeline.scenes[2].prompt}). */
public record FieldError(String field, String message) {
}
