package dev.phork.history;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The storyboard a commit snapshots: scenes in play order. */
public record Timeline(@NotNull @Size(max = Timeline.MAX_SCENES) List<@Valid @NotNull Scene> scenes) {

	public static final int MAX_SCENES = 500;

	public static Timeline empty() {
		return new Timeline(List.of());
	}

}
