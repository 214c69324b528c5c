package dev.phork.history;

import dev.phork.assets.AssetRecord;
import dev.phork.assets.AssetService;
import dev.phork.assets.AssetType;
import dev.phork.common.FieldError;
import dev.phork.common.ProblemException;
import dev.phork.identity.Caller;
import dev.phork.identity.WorkspaceAccess;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Which assets a project may use and show. The rule is the project's history, not its workspace: a
 * project answers the assets its history references (its own commits, its ancestors' up to each
 * fork point, its own renders). Beyond that, a member of the project's workspace may use that
 * workspace's own assets in it (to commit them, reuse them, reference them), and a member of an
 * asset's workspace may read it through any project. Sharing a workspace with the project is never
 * enough on its own: a public project must not expose its workspace's private projects, nor what a
 * private ancestor made after the fork point, nor anything to a former member.
 */
@Component
class AssetReferences {

	private final AssetService assets;

	private final Commits commits;

	private final WorkspaceAccess access;

	AssetReferences(AssetService assets, Commits commits, WorkspaceAccess access) {
		this.assets = assets;
		this.commits = commits;
		this.access = access;
	}

	private static Set<UUID> referencedBy(Timeline timeline) {
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

	/**
	 * The closed ecosystem: a commit may reference only minted assets (their receipt verifies) that
	 * its project may use: its workspace's own, or referenced in its history. Every caller has
	 * checked that the commit's author may write the project, so the workspace's own assets are the
	 * author's to use. A missing asset, a forged receipt and another workspace's asset are refused
	 * alike, so the answer reveals nothing about assets the caller may not see.
	 */
	Set<UUID> requireUsable(ProjectView project, Timeline timeline) {
		Set<UUID> assetIds = referencedBy(timeline);
		if (assetIds.isEmpty()) {
			return assetIds;
		}
		Map<UUID, AssetRecord> found = assets.findAll(List.copyOf(assetIds))
			.stream()
			.collect(Collectors.toMap(AssetRecord::id, Function.identity()));
		Set<UUID> foreign = new LinkedHashSet<>();
		for (UUID id : assetIds) {
			AssetRecord asset = found.get(id);
			if (asset == null || !asset.workspaceId().equals(project.workspaceId())) {
				foreign.add(id);
			}
		}
		if (!foreign.isEmpty()) {
			foreign.removeAll(commits.referencedAssets(project.id(), foreign));
		}
		for (UUID id : assetIds) {
			AssetRecord asset = found.get(id);
			if (asset == null || foreign.contains(id) || !assets.receiptValid(asset)) {
				throw ProblemException.badRequest("invalid_asset_reference", "Asset " + id
						+ " has no mint receipt that covers this project: only assets minted by Phork in its workspace,"
						+ " or inherited through its fork lineage, can be committed.");
			}
		}
		requireKinds(timeline, found);
		return assetIds;
	}

	/**
	 * A scene's keyframe is a picture, its clip a video and its sound audio: a picture committed as
	 * a clip would be charged for a render that "succeeds" with one frame. Checked only for assets
	 * the project may use, so the answer says nothing about anyone else's.
	 */
	private static void requireKinds(Timeline timeline, Map<UUID, AssetRecord> found) {
		List<FieldError> errors = new ArrayList<>();
		for (int i = 0; i < timeline.scenes().size(); i++) {
			Scene scene = timeline.scenes().get(i);
			String at = "timeline.scenes[" + i + "].";
			requireKind(errors, at + "keyframeAssetId", found.get(scene.keyframeAssetId()), "an image",
					AssetType.IMAGE, AssetType.UPLOAD);
			requireKind(errors, at + "videoAssetId", found.get(scene.videoAssetId()), "a video", AssetType.VIDEO,
					AssetType.RENDER);
			requireKind(errors, at + "audioAssetId", found.get(scene.audioAssetId()), "audio", AssetType.AUDIO);
		}
		if (!errors.isEmpty()) {
			throw ProblemException.invalidFields("wrong_asset_kind", "An asset is of the wrong kind for its field: "
					+ String.join(", ", errors.stream().map(FieldError::field).toList()) + ".", errors);
		}
	}

	private static void requireKind(List<FieldError> errors, String field, @Nullable AssetRecord asset, String kind,
			AssetType... allowed) {
		if (asset != null && !List.of(allowed).contains(asset.type())) {
			errors.add(new FieldError(field, "must name " + kind + "; asset " + asset.id() + " is of type "
					+ asset.type().json()));
		}
	}

	void record(CommitView commit, Set<UUID> assetIds) {
		if (!assetIds.isEmpty()) {
			commits.recordAssets(commit.id(), commit.projectId(), assetIds);
		}
	}

	/**
	 * Of the candidates, those the caller may use in the project: referenced in its history, or the
	 * project's workspace's own when the caller is a member of it.
	 */
	Set<UUID> usable(Caller caller, ProjectView project, Collection<AssetRecord> candidates) {
		if (candidates.isEmpty()) {
			return Set.of();
		}
		boolean member = access.isMember(caller, project.workspaceId());
		Set<UUID> usable = new HashSet<>();
		Set<UUID> rest = new HashSet<>();
		for (AssetRecord asset : candidates) {
			if (member && asset.workspaceId().equals(project.workspaceId())) {
				usable.add(asset.id());
			}
			else {
				rest.add(asset.id());
			}
		}
		if (!rest.isEmpty()) {
			usable.addAll(commits.referencedAssets(project.id(), rest));
		}
		return usable;
	}

	/**
	 * Whether the caller may read the asset through the project: the project's history references
	 * it, or the caller is a member of the asset's workspace (who could read it directly anyway).
	 */
	/** Of the candidates, those {@link #readable} for the caller: one membership check per workspace, one history query. */
	Set<UUID> readableAll(Caller caller, ProjectView project, Collection<AssetRecord> candidates) {
		Map<UUID, Boolean> member = new HashMap<>();
		Set<UUID> readable = new HashSet<>();
		Set<UUID> rest = new HashSet<>();
		for (AssetRecord asset : candidates) {
			if (member.computeIfAbsent(asset.workspaceId(), w -> access.isMember(caller, w))) {
				readable.add(asset.id());
			}
			else {
				rest.add(asset.id());
			}
		}
		if (!rest.isEmpty()) {
			readable.addAll(commits.referencedAssets(project.id(), rest));
		}
		return readable;
	}

	boolean readable(Caller caller, ProjectView project, AssetRecord asset) {
		return access.isMember(caller, asset.workspaceId())
				|| commits.referencedAssets(project.id(), Set.of(asset.id())).contains(asset.id());
	}

}
