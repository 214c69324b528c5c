package dev.phork.storyboard;

import dev.phork.assets.AssetRecord;
import dev.phork.common.ProblemException;
import dev.phork.history.CommitService;
import dev.phork.history.CommitView;
import dev.phork.history.ForkEditor;
import dev.phork.history.ForkEdits;
import dev.phork.history.ProjectService;
import dev.phork.history.ProjectView;
import dev.phork.history.RegistryEntry;
import dev.phork.history.Scene;
import dev.phork.history.Timeline;
import dev.phork.identity.Caller;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The registry endpoints, fork edits and diffs. Every change is a new commit computed from the head
 * under the project's row lock, so concurrent registry changes apply one after the other and tags
 * never repeat (the database also refuses a storyboard with a repeated tag).
 */
@Service
public class StoryboardService implements ForkEditor {

	private final ProjectService projects;

	private final CommitService commits;

	private final Registry registry;

	private final ReferenceSubjects subjects;

	StoryboardService(ProjectService projects, CommitService commits, Registry registry, ReferenceSubjects subjects) {
		this.projects = projects;
		this.commits = commits;
		this.registry = registry;
		this.subjects = subjects;
	}

	public record EntryView(String tag, String kind, String name, @Nullable String description,
			@Nullable UUID referenceAssetId, @Nullable UUID linkedAssetId, boolean linked, @Nullable Double similarity) {

		static EntryView of(RegistryEntry entry) {
			return new EntryView(entry.tag(), entry.kind(), entry.name(), entry.description(), entry.referenceAssetId(), null,
					false, null);
		}

	}

	public record RegistryChange(UUID commitId, List<EntryView> entries) {
	}

	public record NewEntry(String kind, String name, @Nullable String description, @Nullable UUID referenceAssetId) {
	}

	/**
	 * What changed between two commits of the project's history, each named by id or tag; 404 for a
	 * commit outside it.
	 */
	public Diffs.Diff diff(Caller caller, UUID projectId, String from, String to) {
		projects.readable(caller, projectId);
		CommitView a = commits.resolve(projectId, from);
		CommitView b = commits.resolve(projectId, to);
		return Diffs.of(a.id(), a.timeline(), b.id(), b.timeline());
	}

	public List<EntryView> registry(Caller caller, UUID projectId) {
		ProjectView project = projects.readable(caller, projectId);
		return head(project).timeline().entries().stream().map(EntryView::of).toList();
	}

	public RegistryChange addEntry(Caller caller, UUID projectId, NewEntry entry) {
		ProjectView project = projects.writable(caller, projectId);
		if (entry.referenceAssetId() != null) {
			registry.reference(caller, project, entry.referenceAssetId());
		}
		List<RegistryEntry> added = new ArrayList<>();
		CommitView commit = commits.commitOnHead(caller.userId(), projectId, "Add registry entry " + entry.name(), head -> {
			List<RegistryEntry> entries = new ArrayList<>(head.entries());
			RegistryEntry created = new RegistryEntry(Registry.nextTag(entries, entry.kind()), entry.kind(), entry.name(),
					entry.description(), entry.referenceAssetId(), null);
			entries.add(created);
			added.add(created);
			return Registry.withEntries(head, entries);
		});
		return new RegistryChange(commit.id(), added.stream().map(EntryView::of).toList());
	}

	/**
	 * Manifests uploads, each named once however often the request repeats it. The pictures are
	 * analysed first, outside any transaction; only then is the head locked, for a comparison of
	 * vectors and the commit.
	 */
	public RegistryChange manifestUploads(Caller caller, UUID projectId, List<UUID> assetIds) {
		ProjectView project = projects.writable(caller, projectId);
		List<Registry.Analysed> analysed = distinct(assetIds).stream().map(id -> {
			AssetRecord asset = registry.reference(caller, project, id);
			return new Registry.Analysed(asset, subjects.of(asset));
		}).toList();
		List<Registry.Manifested> results = new ArrayList<>();
		CommitView commit = commits.commitOnHead(caller.userId(), projectId, "Manifest " + analysed.size() + " uploads",
				head -> {
					results.clear();
					results.addAll(Registry.manifest(head.entries(), analysed));
					List<RegistryEntry> entries = new ArrayList<>(head.entries());
					results.stream().filter(r -> !r.linked()).forEach(r -> entries.add(r.entry()));
					return Registry.withEntries(head, entries);
				});
		return new RegistryChange(commit.id(), results.stream()
			.map(r -> new EntryView(r.entry().tag(), r.entry().kind(), r.entry().name(), r.entry().description(),
					r.entry().referenceAssetId(), r.assetId(), r.linked(), r.similarity()))
			.toList());
	}

	/**
	 * Analyses the fork's new uploads before its transaction: those the fork could use, that is
	 * those the source may use and those of the workspace it is forked into (what the fork may use
	 * is a subset of these, checked again when the edits are applied). Others are left for
	 * {@link #apply} to refuse.
	 */
	@Override
	public void prepare(Caller caller, ProjectView source, UUID workspaceId, ForkEdits edits) {
		if (edits.assetChanges() == null || edits.assetChanges().newUploads() == null) {
			return;
		}
		for (UUID id : distinct(edits.assetChanges().newUploads())) {
			Optional<AssetRecord> asset = registry.referenceIfUsable(id,
					a -> a.workspaceId().equals(workspaceId) || projects.mayUse(caller, source, a));
			asset.ifPresent(subjects::of);
		}
	}

	/**
	 * Applies a fork's edits to the storyboard it starts from: settings, then scene updates, inserts,
	 * deletes and the new order, then registry changes. Removing an entry also drops its tag from the
	 * scenes that used it; new uploads are manifested against every entry the fork inherited.
	 */
	@Override
	public Timeline apply(Caller caller, ProjectView fork, Timeline base, ForkEdits edits) {
		Timeline storyboard = base;
		if (edits.settings() != null) {
			storyboard = new Timeline(edits.settings().over(base.effectiveSettings()), base.registry(), base.scenes());
		}
		if (edits.scenes() != null) {
			storyboard = storyboard.withScenes(editScenes(storyboard.scenes(), edits.scenes()));
		}
		if (edits.assetChanges() != null) {
			storyboard = changeRegistry(caller, fork, storyboard, edits.assetChanges());
		}
		return storyboard;
	}

	private static List<Scene> editScenes(List<Scene> scenes, ForkEdits.SceneEdits edits) {
		List<Scene> result = new ArrayList<>(scenes);
		Map<UUID, Integer> index = new HashMap<>();
		for (int i = 0; i < result.size(); i++) {
			index.put(result.get(i).id(), i);
		}
		for (ForkEdits.SceneUpdate update : nullSafe(edits.update())) {
			Integer at = index.get(update.id());
			if (at == null) {
				throw unknownScene(update.id());
			}
			Scene s = result.get(at);
			result.set(at, new Scene(s.id(), update.prompt() != null ? update.prompt() : s.prompt(), s.durationMs(),
					s.keyframeAssetId(), s.videoAssetId(), s.audioAssetId(),
					update.assetTags() != null ? update.assetTags() : s.assetTags(), s.composition()));
		}
		for (ForkEdits.SceneInsert insert : nullSafe(edits.insert())) {
			if (insert.scene().id() != null) {
				throw ProblemException.badRequest("client_scene_id", "An inserted scene gets its id from the server.");
			}
			int position = 0;
			if (insert.afterId() != null) {
				int after = indexOf(result, insert.afterId());
				if (after < 0) {
					throw unknownScene(insert.afterId());
				}
				position = after + 1;
			}
			result.add(position, insert.scene());
		}
		for (UUID id : nullSafe(edits.delete())) {
			if (!result.removeIf(s -> id.equals(s.id()))) {
				throw unknownScene(id);
			}
		}
		if (edits.order() != null) {
			List<UUID> current = result.stream().map(Scene::id).filter(Objects::nonNull).toList();
			if (edits.order().size() != current.size() || !new HashSet<>(edits.order()).equals(new HashSet<>(current))) {
				throw ProblemException.unprocessable("invalid_order",
						"order must list every scene id of the edited storyboard exactly once (inserted scenes keep their place).");
			}
			Map<UUID, Scene> byId = new LinkedHashMap<>();
			result.forEach(s -> byId.put(s.id(), s));
			List<Scene> ordered = new ArrayList<>();
			edits.order().forEach(id -> ordered.add(byId.get(id)));
			result.stream().filter(s -> s.id() == null).forEach(ordered::add);
			result = ordered;
		}
		return result;
	}

	private Timeline changeRegistry(Caller caller, ProjectView fork, Timeline storyboard, ForkEdits.AssetChanges changes) {
		if (storyboard.entries().isEmpty()) {
			throw ProblemException.unprocessable("no_registry",
					"assetChanges need a storyboard with an asset registry; this project has none (add entries first).");
		}
		Map<String, RegistryEntry> entries = new LinkedHashMap<>();
		storyboard.entries().forEach(e -> entries.put(e.tag(), e));
		if (changes.modified() != null) {
			for (var change : changes.modified().entrySet()) {
				RegistryEntry entry = entries.get(change.getKey());
				if (entry == null) {
					throw unknownTag(change.getKey());
				}
				ForkEdits.EntryChange edit = change.getValue();
				if (edit.referenceAssetId() != null) {
					registry.reference(caller, fork, edit.referenceAssetId());
				}
				entries.put(entry.tag(), new RegistryEntry(entry.tag(), entry.kind(),
						edit.name() != null ? edit.name() : entry.name(),
						edit.description() != null ? edit.description() : entry.description(),
						edit.referenceAssetId() != null ? edit.referenceAssetId() : entry.referenceAssetId(),
						edit.referenceAssetId() != null ? null : entry.embedding()));
			}
		}
		Set<String> removed = new HashSet<>();
		for (String tag : nullSafe(changes.removed())) {
			if (entries.remove(tag) == null) {
				throw unknownTag(tag);
			}
			removed.add(tag);
		}
		List<RegistryEntry> list = new ArrayList<>(entries.values());
		if (changes.newUploads() != null && !changes.newUploads().isEmpty()) {
			List<Registry.Analysed> analysed = distinct(changes.newUploads()).stream().map(id -> {
				AssetRecord asset = registry.reference(caller, fork, id);
				return new Registry.Analysed(asset, subjects.of(asset));
			}).toList();
			Registry.manifest(list, analysed)
				.stream()
				.filter(r -> !r.linked())
				.forEach(r -> list.add(r.entry()));
		}
		List<Scene> scenes = storyboard.scenes().stream().map(s -> {
			if (s.tags().stream().noneMatch(removed::contains)) {
				return s;
			}
			return new Scene(s.id(), s.prompt(), s.durationMs(), s.keyframeAssetId(), s.videoAssetId(), s.audioAssetId(),
					s.tags().stream().filter(t -> !removed.contains(t)).toList(), s.composition());
		}).toList();
		return new Timeline(storyboard.settings(), list, scenes);
	}

	private CommitView head(ProjectView project) {
		return commits.inHistory(project.id(), project.headCommitId()).orElseThrow();
	}

	private static int indexOf(List<Scene> scenes, UUID id) {
		for (int i = 0; i < scenes.size(); i++) {
			if (id.equals(scenes.get(i).id())) {
				return i;
			}
		}
		return -1;
	}

	private static List<UUID> distinct(List<UUID> ids) {
		return List.copyOf(new LinkedHashSet<>(ids));
	}

	private static <T> List<T> nullSafe(@Nullable List<T> list) {
		return list == null ? List.of() : list;
	}

	private static ProblemException unknownScene(UUID id) {
		return ProblemException.unprocessable("unknown_scene", "The storyboard has no scene " + id + ".");
	}

	private static ProblemException unknownTag(String tag) {
		return ProblemException.unprocessable("unknown_tag", "The registry has no entry " + tag + ".");
	}

}
