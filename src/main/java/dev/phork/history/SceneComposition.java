package dev.phork.history;

import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** How a scene is shot: e.g. {@code close-up} with a {@code dolly} move. */
public record SceneComposition(@Size(max = 40) @Nullable String shotType, @Size(max = 40) @Nullable String cameraMovement) {
}
