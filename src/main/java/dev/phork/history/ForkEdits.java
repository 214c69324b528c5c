package dev.phork.history;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Edits a fork applies in its first commit; the parent's storyboard and assets never change.
 *
 * @param settings settings to change (unset fields keep the parent's)
 * @param scenes scene edits: update, insert, delete, then reorder
 * @param assetChanges registry changes: modified and removed entries, and new reference uploads
 */
public record ForkEdits(@Valid @Nullable StoryboardSettings settings, @Valid @Nullable SceneEdits scenes,
		@Valid @Nullable AssetChanges assetChanges) {

	/**
	 * Reference uploads one request may manifest: each new picture is decoded once, so this bounds
	 * the decoding one request can ask for.
	 */
	public static final int MAX_NEW_UPLOADS = 20;

	public record SceneEdits(@Size(max = 500) @Nullable List<@Valid @NotNull SceneUpdate> update,
			@Size(max = 500) @Nullable List<@Valid @NotNull SceneInsert> insert, @Size(max = 500) @Nullable List<UUID> delete,
			@Size(max = 500) @Nullable List<UUID> order) {
	}

	public record SceneUpdate(@NotNull UUID id, @Size(max = 4000) @Nullable String prompt,
			@Size(max = 50) @Nullable List<String> assetTags) {
	}

	public record SceneInsert(@Nullable UUID afterId, @NotNull @Valid Scene scene) {
	}

	public record AssetChanges(@Nullable Map<String, @Valid EntryChange> modified, @Nullable List<String> removed,
			@Size(max = MAX_NEW_UPLOADS) @Nullable List<UUID> newUploads) {
	}

	public record EntryChange(@Size(min = 1, max = 100) @Nullable String name, @Size(max = 2000) @Nullable String description,
			@Nullable UUID referenceAssetId) {
	}

}
