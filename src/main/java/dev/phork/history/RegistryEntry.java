package dev.phork.history;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A reusable character, object, place or style of a storyboard ({@code CHAR_01}, {@code OBJ_01},
 * {@code LOC_01}, {@code STYLE_01}), unique by tag within the storyboard.
 *
 * @param embedding a perceptual embedding of the reference image, for matching new uploads
 */
public record RegistryEntry(@NotBlank @Pattern(regexp = "(CHAR|OBJ|LOC|STYLE)_\\d{2,4}") String tag,
		@NotBlank @Pattern(regexp = "character|object|location|style") String kind, @NotBlank @Size(max = 100) String name,
		@Size(max = 2000) @Nullable String description, @Nullable UUID referenceAssetId,
		@Size(max = 512) @Nullable List<Double> embedding) {

	/** The tag prefix of each kind. */
	public static String prefix(String kind) {
		return switch (kind) {
			case "character" -> "CHAR";
			case "object" -> "OBJ";
			case "location" -> "LOC";
			case "style" -> "STYLE";
			default -> throw new IllegalArgumentException("unknown kind " + kind);
		};
	}

}
