package dev.phork.history;

import io.swagger.v3.oas.annotations.media.Schema;
import dev.phork.common.Hashes;
import dev.phork.common.Visibility;
import dev.phork.assets.AssetRecord;
import dev.phork.assets.AssetService;
import dev.phork.assets.AssetView;
import dev.phork.common.Ids;
import dev.phork.common.LineageTree;
import dev.phork.common.Page;
import dev.phork.common.ProblemException;
import dev.phork.history.Projects.NewProject;
import dev.phork.identity.Caller;
import dev.phork.identity.Role;
import dev.phork.identity.WorkspaceAccess;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Projects, forks and lineage, and the access rules for a project: members of its workspace read
 * it, so does anyone when it is public or unlisted; editors and owners write it.
 */
@Service
public class ProjectService {

	static final int MAX_CHILDREN = 500;

	private final Projects projects;

	private final Commits commits;

	private final WorkspaceAccess access;

	private final LineageTree lineage;

	private final AssetService assets;

	private final AssetReferences assetReferences;

	private final ObjectProvider<ForkEditor> forkEditor;

	private final ObjectProvider<CommitService> commitService;

	private final TransactionTemplate tx;

	private final ApplicationEventPublisher events;

	private final Blames blames;

	ProjectService(Projects projects, Commits commits, WorkspaceAccess access, JdbcClient jdbc, AssetService assets,
			AssetReferences assetReferences, ObjectProvider<ForkEditor> forkEditor,
			ObjectProvider<CommitService> commitService, TransactionTemplate tx, ApplicationEventPublisher events,
			Blames blames) {
		this.tx = tx;
		this.events = events;
		this.blames = blames;
		this.forkEditor = forkEditor;
		this.commitService = commitService;
		this.projects = projects;
		this.commits = commits;
		this.access = access;
		this.lineage = new LineageTree(jdbc, "projects", "parent_project_id");
		this.assets = assets;
		this.assetReferences = assetReferences;
	}

	/**
	 * An asset read through a project: anyone who may read the project may read the assets its
	 * history references; members of the asset's workspace may read it through any project they can
	 * read. Anything else does not exist as far as the caller knows. The content URL is signed for
	 * the project's workspace.
	 */
	public AssetView asset(Caller caller, UUID projectId, UUID assetId) {
		ProjectView project = readable(caller, projectId);
		AssetRecord asset = assets.find(assetId)
			.filter(a -> assetReferences.readable(caller, project, a))
			.orElseThrow(() -> ProblemException.notFound("asset", assetId));
		return assets.view(asset, project.workspaceId());
	}

	/**
	 * The assets of {@code assetIds} the caller may read through the project, as {@link #asset}
	 * answers each one (the others are left out), in a few queries whatever their number.
	 */
	public Map<UUID, AssetView> assets(Caller caller, UUID projectId, Collection<UUID> assetIds) {
		ProjectView project = readable(caller, projectId);
		if (assetIds.isEmpty()) {
			return Map.of();
		}
		List<AssetRecord> found = assets.findAll(List.copyOf(new HashSet<>(assetIds)));
		Set<UUID> readable = assetReferences.readableAll(caller, project, found);
		Map<UUID, AssetView> views = new HashMap<>();
		for (AssetRecord asset : found) {
			if (readable.contains(asset.id())) {
				views.put(asset.id(), assets.view(asset, project.workspaceId()));
			}
		}
		return views;
	}

	public record CreateProjectCommand(UUID workspaceId, String name, @Nullable String description,
			@Nullable Visibility visibility) {
	}

	/** {@code commitId} is a commit of the source's history, by id or by one of the source's tags. */
	public record ForkCommand(UUID workspaceId, @Nullable String commitId, @Nullable String name,
			@Nullable Visibility visibility, @Nullable ForkEdits edits) {
	}

	public record Created(ProjectView project, boolean created) {
	}

	@Schema(name = "ProjectLineageEntry")
	public record LineageEntry(UUID id, boolean hidden, @Nullable ProjectView project) {
	}

	@Schema(name = "ProjectLineage")
	public record Lineage(@Nullable LineageEntry root, List<LineageEntry> ancestors, List<ProjectView> children) {
	}

	@Schema(name = "ProjectForkNode")
	public record ForkNode(int depth, ProjectView project) {
	}

	/**
	 * Creates the project and its initial empty commit in one transaction. With an idempotency key, a
	 * repeat of the same request answers the first project (created = false); the same key with a
	 * different request is a 422.
	 */
	@Transactional
	public Created create(Caller caller, CreateProjectCommand command, @Nullable String idempotencyKey) {
		access.require(caller, command.workspaceId(), Role.EDITOR);
		String hash = idempotencyKey == null ? null : hash(command);
		if (idempotencyKey != null) {
			Optional<Created> replay = replay(command.workspaceId(), idempotencyKey, hash);
			if (replay.isPresent()) {
				return replay.get();
			}
		}
		UUID projectId = Ids.newId();
		UUID commitId = Ids.newId();
		Visibility visibility = command.visibility() == null ? Visibility.PRIVATE : command.visibility();
		boolean inserted = projects.insert(new NewProject(projectId, command.workspaceId(), command.name(),
				command.description(), visibility, commitId, null, null, caller.userId(), idempotencyKey, hash));
		if (!inserted) {
			// A concurrent request with the same key won; ON CONFLICT waited for it to commit.
			return replay(command.workspaceId(), String.valueOf(idempotencyKey), hash).orElseThrow();
		}
		blames.record(commits.insert(commitId, projectId, null, "Create project", Timeline.empty(), caller.userId()));
		return new Created(projects.find(projectId).orElseThrow(), true);
	}

	private Optional<Created> replay(UUID workspaceId, String key, @Nullable String hash) {
		return projects.byIdempotencyKey(workspaceId, key).map(existing -> {
			if (!existing.requestHash().equals(hash)) {
				throw ProblemException.unprocessable("idempotency_key_reused",
						"This Idempotency-Key was already used with a different request.");
			}
			return new Created(projects.find(existing.id()).orElseThrow(), false);
		});
	}

	public ProjectView get(Caller caller, UUID projectId) {
		return readable(caller, projectId);
	}

	public Page<ProjectView> list(Caller caller, @Nullable UUID workspaceId, @Nullable UUID before, int limit) {
		List<UUID> workspaces = access.listed(caller, workspaceId);
		return Page.of(projects.inWorkspaces(workspaces, before, limit), limit, ProjectView::id);
	}

	/** Public projects of anyone, newest first (the studio's explore page). */
	public Page<ProjectView> explore(@Nullable UUID before, int limit) {
		return Page.of(projects.publicOnes(before, limit), limit, ProjectView::id);
	}

	@Transactional
	public ProjectView update(Caller caller, UUID projectId, @Nullable String name, @Nullable String description,
			@Nullable Visibility visibility) {
		ProjectView project = writable(caller, projectId);
		if (visibility != null && visibility.compareTo(project.visibility()) > 0) {
			requireVisibleAsLineage(caller, lineage.ancestors(projectId), visibility);
			for (UUID merged : commits.mergedProjects(projectId)) {
				requireVisibleAsLineage(caller, concat(List.of(merged), lineage.ancestors(merged)), visibility);
			}
		}
		projects.update(projectId, name != null ? name : project.name(),
				description != null ? description : project.description(),
				visibility != null ? visibility : project.visibility());
		return projects.find(projectId).orElseThrow();
	}

	/**
	 * Forks in O(1): the new project points at the source's commit and shares everything before it.
	 * The fork, its event and the source's fork count commit together. A fork keeps that history
	 * after its author leaves the source's workspace, so forking a private project is writing, not
	 * reading: it needs the editor role there; and the fork may be no more visible than its lineage
	 * allows ({@link #requireVisibleAsLineage}). Edits are prepared first, outside the transaction
	 * (analysing new uploads is slow, and the transaction holds the source's row lock to count the
	 * fork).
	 */
	public ProjectView fork(Caller caller, UUID sourceId, ForkCommand command) {
		ProjectView source = readable(caller, sourceId);
		if (source.visibility() == Visibility.PRIVATE) {
			Role role = access.roleOf(caller.userId(), source.workspaceId()).orElse(null);
			if (role == null || !role.atLeast(Role.EDITOR)) {
				throw new ProblemException(HttpStatus.FORBIDDEN, "insufficient_role",
						"Forking private project " + sourceId + " needs the editor role in its workspace.");
			}
		}
		access.require(caller, command.workspaceId(), Role.EDITOR);
		Visibility visibility = command.visibility() != null ? command.visibility() : Visibility.PRIVATE;
		requireVisibleAsLineage(caller, concat(List.of(sourceId), lineage.ancestors(sourceId)), visibility);
		if (command.edits() != null) {
			forkEditor().prepare(caller, source, command.workspaceId(), command.edits());
		}
		return tx.execute(status -> fork(caller, source, command, visibility));
	}

	private ProjectView fork(Caller caller, ProjectView source, ForkCommand command, Visibility visibility) {
		UUID sourceId = source.id();
		UUID forkCommit = command.commitId() != null ? commitService.getObject().resolve(sourceId, command.commitId()).id()
				: source.headCommitId();
		UUID forkId = Ids.newId();
		projects.insert(new NewProject(forkId, command.workspaceId(),
				command.name() != null ? command.name() : source.name(), source.description(),
				visibility, forkCommit, sourceId, forkCommit,
				caller.userId(), null, null));
		projects.recordFork(Ids.newId(), sourceId, forkId, forkCommit, caller.userId());
		ProjectView fork = projects.find(forkId).orElseThrow();
		events.publishEvent(new ProjectForked(sourceId, source.workspaceId(), forkId, fork.workspaceId(), forkCommit,
				fork.visibility(), caller.userId(), fork.createdAt()));
		if (command.edits() != null) {
			Timeline base = commits.find(forkCommit).orElseThrow().timeline();
			Timeline edited = forkEditor().apply(caller, fork, base, command.edits());
			commitService.getObject().commitAs(caller.userId(), forkId, "Fork with edits", edited);
			fork = projects.find(forkId).orElseThrow();
		}
		return fork;
	}

	/**
	 * Whether the user may bring the source's history into the target (a merge, or offering one in a
	 * merge request): the target keeps that history, so this is what forking the source into the
	 * target's workspace would need. The user must read the source; a private source needs the
	 * editor role in its workspace (the history stays after the user leaves it); and the target may
	 * be no more visible than the source's lineage allows, as for a fork
	 * ({@link #requireVisibleAsLineage}).
	 */
	void requireShareable(Caller caller, ProjectView source, ProjectView target) {
		if (!canRead(caller, source)) {
			throw ProblemException.notFound("project", source.id());
		}
		if (source.visibility() == Visibility.PRIVATE) {
			Role role = access.roleOf(caller.userId(), source.workspaceId()).orElse(null);
			if (role == null || !role.atLeast(Role.EDITOR)) {
				throw new ProblemException(HttpStatus.FORBIDDEN, "insufficient_role",
						"Merging private project " + source.id() + " needs the editor role in its workspace.");
			}
		}
		requireVisibleAsLineage(caller, concat(List.of(source.id()), lineage.ancestors(source.id())),
				target.visibility());
	}

	/** The project, when it exists (for work the caller was authorized for). */
	Optional<ProjectView> find(UUID projectId) {
		return projects.find(projectId);
	}

	/** Whether the caller may read the project (without saying why not). */
	public boolean isReadable(Caller caller, UUID projectId) {
		return projects.find(projectId).filter(p -> canRead(caller, p)).isPresent();
	}

	boolean canReadProject(Caller caller, ProjectView project) {
		return canRead(caller, project);
	}

	List<ProjectView> findAll(List<UUID> ids) {
		return projects.findAll(ids);
	}

	private ForkEditor forkEditor() {
		ForkEditor editor = forkEditor.getIfAvailable();
		if (editor == null) {
			throw ProblemException.unprocessable("edits_unsupported", "This server cannot apply fork edits.");
		}
		return editor;
	}

	public Lineage lineage(Caller caller, UUID projectId) {
		readable(caller, projectId);
		List<UUID> ancestorIds = lineage.ancestors(projectId);
		List<UUID> childIds = lineage.children(projectId, access.workspaceIds(caller), MAX_CHILDREN);
		Map<UUID, ProjectView> views = projects.findAll(concat(ancestorIds, childIds))
			.stream()
			.collect(Collectors.toMap(ProjectView::id, Function.identity()));
		List<LineageEntry> ancestors = ancestorIds.stream().map(id -> entry(caller, views.get(id), id)).toList();
		List<ProjectView> children = childIds.stream().map(views::get).toList();
		return new Lineage(ancestors.isEmpty() ? null : ancestors.getLast(), ancestors, children);
	}

	public Page<ForkNode> forks(Caller caller, UUID projectId, @Nullable UUID after, int limit) {
		readable(caller, projectId);
		List<LineageTree.Node> nodes = lineage.descendants(projectId, access.workspaceIds(caller), after, limit);
		Map<UUID, ProjectView> views = projects.findAll(nodes.stream().map(LineageTree.Node::id).toList())
			.stream()
			.collect(Collectors.toMap(ProjectView::id, Function.identity()));
		List<ForkNode> page = nodes.stream().map(n -> new ForkNode(n.depth(), views.get(n.id()))).toList();
		return Page.of(page, limit, node -> node.project().id());
	}

	/**
	 * Whether the caller may use the asset in the project (reuse it, reference it, animate it):
	 * its history references the asset, or the asset is the project's workspace's own and the
	 * caller is a member of that workspace. Writes check the caller's role before.
	 */
	public boolean mayUse(Caller caller, ProjectView project, AssetRecord asset) {
		return usableAssets(caller, project, List.of(asset)).contains(asset.id());
	}

	/** Of the candidates, the ids of those the caller may use in the project (as {@link #mayUse}). */
	public java.util.Set<UUID> usableAssets(Caller caller, ProjectView project, java.util.Collection<AssetRecord> candidates) {
		return assetReferences.usable(caller, project, candidates);
	}

	/** The project if the caller may read it; otherwise it does not exist as far as the caller knows. */
	public ProjectView readable(Caller caller, UUID projectId) {
		ProjectView project = projects.find(projectId).orElseThrow(() -> ProblemException.notFound("project", projectId));
		if (!canRead(caller, project)) {
			throw ProblemException.notFound("project", projectId);
		}
		return project;
	}

	/** The project if the caller may change it (editor or owner of its workspace). */
	public ProjectView writable(Caller caller, UUID projectId) {
		ProjectView project = readable(caller, projectId);
		Role role = access.roleOf(caller.userId(), project.workspaceId()).orElse(null);
		if (role == null || !role.atLeast(Role.EDITOR)) {
			throw new ProblemException(HttpStatus.FORBIDDEN, "insufficient_role",
					"Changing project " + projectId + " needs the editor role in its workspace.");
		}
		return project;
	}

	/**
	 * A project shares each ancestor's history up to its fork point, so it may be no more visible
	 * than its ancestors unless an owner of each less visible ancestor's workspace makes it so (the
	 * owner doing it is the permission; nothing is stored). The walk stops at the first ancestor at
	 * least as visible as wanted: whatever the project shares further up is already that visible
	 * through it. The refusal names no ancestor, which the caller may not be able to read.
	 */
	private void requireVisibleAsLineage(Caller caller, List<UUID> ancestorsNearestFirst, Visibility wanted) {
		if (wanted == Visibility.PRIVATE || ancestorsNearestFirst.isEmpty()) {
			return;
		}
		Map<UUID, ProjectView> views = projects.findAll(ancestorsNearestFirst)
			.stream()
			.collect(Collectors.toMap(ProjectView::id, Function.identity()));
		for (UUID id : ancestorsNearestFirst) {
			ProjectView ancestor = views.get(id);
			if (ancestor.visibility().compareTo(wanted) >= 0) {
				return;
			}
			if (access.roleOf(caller.userId(), ancestor.workspaceId()).orElse(null) != Role.OWNER) {
				throw new ProblemException(HttpStatus.FORBIDDEN, "visibility_exceeds_source",
						"This project shares the history of a " + ancestor.visibility().json()
								+ " project; only an owner of that project's workspace may make it " + wanted.json() + ".");
			}
		}
	}

	private boolean canRead(Caller caller, ProjectView project) {
		return project.visibility() != Visibility.PRIVATE || access.isMember(caller, project.workspaceId());
	}

	private LineageEntry entry(Caller caller, @Nullable ProjectView view, UUID id) {
		return view != null && canRead(caller, view) ? new LineageEntry(id, false, view) : new LineageEntry(id, true, null);
	}

	private static List<UUID> concat(List<UUID> a, List<UUID> b) {
		return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
	}

	private static String hash(CreateProjectCommand command) {
		String canonical = command.workspaceId() + "\n" + command.name() + "\n" + command.description() + "\n"
				+ (command.visibility() == null ? Visibility.PRIVATE : command.visibility());
		return Hashes.sha256Hex(canonical);
	}

}
