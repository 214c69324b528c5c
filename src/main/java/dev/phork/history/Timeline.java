package dev.phork.history;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The storyboard a commit snapshots: its settings, its registry of reusable entries, and its scenes
 * in play order. Timelines of older commits have only scenes; the rest reads as absent.
 */
public record Timeline(@Valid @Nullable StoryboardSettings settings,
		@Size(max = Timeline.MAX_ENTRIES) @Nullable List<@Valid @NotNull RegistryEntry> registry,
		@NotNull @Size(max = Timeline.MAX_SCENES) List<@Valid @NotNull Scene> scenes) {

	public static final int MAX_SCENES = 500;

	public static final int MAX_ENTRIES = 200;

	public static Timeline empty() {
		return new Timeline(null, null, List.of());
	}

	public List<RegistryEntry> entries() {
		return registry == null ? List.of() : registry;
	}

	public StoryboardSettings effectiveSettings() {
		return settings == null ? StoryboardSettings.DEFAULTS : settings.over(StoryboardSettings.DEFAULTS);
	}

	public Timeline withScenes(List<Scene> newScenes) {
		return new Timeline(settings, registry, newScenes);
	}

}
