package dev.phork.history;

import dev.phork.assets.AssetRecord;
import dev.phork.assets.AssetService;
import dev.phork.common.ProblemException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The closed ecosystem: a commit may reference only minted assets (their receipt verifies) that
 * its project may use: minted in the project's workspace, or inherited through its fork lineage
 * (referenced in its history). Anything else is refused, naming the mint receipt.
 */
@Component
class AssetReferences {

	private final AssetService assets;

	private final Commits commits;

	AssetReferences(AssetService assets, Commits commits) {
		this.assets = assets;
		this.commits = commits;
	}

	static Set<UUID> referencedBy(Timeline timeline) {
		Set<UUID> ids = new LinkedHashSet<>();
		for (RegistryEntry entry : timeline.entries()) {
			if (entry.referenceAssetId() != null) {
				ids.add(entry.referenceAssetId());
			}
		}
		for (Scene scene : timeline.scenes()) {
			for (UUID id : new UUID[] { scene.keyframeAssetId(), scene.videoAssetId(), scene.audioAssetId() }) {
				if (id != null) {
					ids.add(id);
				}
			}
		}
		return ids;
	}

	void requireUsable(ProjectView project, Set<UUID> assetIds) {
		if (assetIds.isEmpty()) {
			return;
		}
		Map<UUID, AssetRecord> found = assets.findAll(java.util.List.copyOf(assetIds))
			.stream()
			.collect(Collectors.toMap(AssetRecord::id, Function.identity()));
		Set<UUID> foreign = new LinkedHashSet<>();
		for (UUID id : assetIds) {
			AssetRecord asset = found.get(id);
			if (asset == null || !assets.receiptValid(asset)) {
				throw ProblemException.badRequest("invalid_asset_reference",
						"Asset " + id + " has no valid mint receipt: only assets minted by Phork can be committed.");
			}
			if (!asset.workspaceId().equals(project.workspaceId())) {
				foreign.add(id);
			}
		}
		if (!foreign.isEmpty()) {
			foreign.removeAll(commits.inheritedAssets(project.id(), foreign));
			if (!foreign.isEmpty()) {
				throw ProblemException.badRequest("invalid_asset_reference", "Asset " + foreign.iterator().next()
						+ " was minted for another workspace and is not inherited through this project's fork lineage;"
						+ " its mint receipt does not cover this project.");
			}
		}
	}

	void record(CommitView commit, Set<UUID> assetIds) {
		if (!assetIds.isEmpty()) {
			commits.recordAssets(commit.id(), commit.projectId(), assetIds);
		}
	}

	boolean usable(ProjectView project, AssetRecord asset) {
		return asset.workspaceId().equals(project.workspaceId())
				|| commits.inheritedAssets(project.id(), Set.of(asset.id())).contains(asset.id());
	}

}
