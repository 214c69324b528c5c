package dev.phork.prompts;

import io.swagger.v3.oas.annotations.media.Schema;
import dev.phork.common.Ids;
import dev.phork.common.LineageTree;
import dev.phork.common.Page;
import dev.phork.common.ProblemException;
import dev.phork.common.Visibility;
import dev.phork.identity.Caller;
import dev.phork.identity.Role;
import dev.phork.identity.WorkspaceAccess;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The prompt library. Lineage is server-owned: a fork names its source, the database derives the
 * root, and nothing about lineage changes after insert (seed 001's four layers, without RLS: the
 * access check here is the one every request passes).
 */
@Service
public class PromptService {

	private static final int MAX_CHILDREN = 500;

	private final Prompts prompts;

	private final WorkspaceAccess access;

	private final LineageTree lineage;

	PromptService(Prompts prompts, WorkspaceAccess access, JdbcClient jdbc) {
		this.prompts = prompts;
		this.access = access;
		this.lineage = new LineageTree(jdbc, "prompts", "parent_prompt_id");
	}

	@Schema(name = "PromptLineageEntry")
	public record LineageEntry(UUID id, boolean hidden, @Nullable PromptView prompt) {
	}

	@Schema(name = "PromptLineage")
	public record Lineage(@Nullable LineageEntry root, List<LineageEntry> ancestors, List<PromptView> children) {
	}

	@Schema(name = "PromptForkNode")
	public record ForkNode(int depth, PromptView prompt) {
	}

	@Transactional
	public PromptView create(Caller caller, UUID workspaceId, String title, String body, @Nullable Visibility visibility) {
		access.require(caller, workspaceId, Role.EDITOR);
		UUID id = Ids.newId();
		prompts.insert(id, workspaceId, title, body, visibility == null ? Visibility.PRIVATE : visibility, null,
				caller.userId());
		return prompts.find(id).orElseThrow();
	}

	/** Forks a prompt the caller can read into a workspace the caller can write, optionally edited. */
	@Transactional
	public PromptView fork(Caller caller, UUID sourceId, UUID workspaceId, @Nullable String title, @Nullable String body) {
		PromptView source = readable(caller, sourceId);
		access.require(caller, workspaceId, Role.EDITOR);
		UUID id = Ids.newId();
		prompts.insert(id, workspaceId, title != null ? title : source.title(), body != null ? body : source.body(),
				Visibility.PRIVATE, sourceId, caller.userId());
		prompts.recordFork(Ids.newId(), sourceId, id, caller.userId());
		return prompts.find(id).orElseThrow();
	}

	public PromptView get(Caller caller, UUID id) {
		return readable(caller, id);
	}

	public Page<PromptView> list(Caller caller, @Nullable UUID workspaceId, @Nullable UUID before, int limit) {
		List<UUID> workspaces = access.listed(caller, workspaceId);
		return Page.of(prompts.inWorkspaces(workspaces, before, limit), limit, PromptView::id);
	}

	public Lineage lineage(Caller caller, UUID id) {
		readable(caller, id);
		List<UUID> ancestorIds = lineage.ancestors(id);
		List<UUID> childIds = lineage.children(id, access.workspaceIds(caller), MAX_CHILDREN);
		Map<UUID, PromptView> views = byId(Stream.concat(ancestorIds.stream(), childIds.stream()).toList());
		List<LineageEntry> ancestors = ancestorIds.stream().map(a -> entry(caller, views.get(a), a)).toList();
		return new Lineage(ancestors.isEmpty() ? null : ancestors.getLast(), ancestors,
				childIds.stream().map(views::get).toList());
	}

	public List<PromptView> children(Caller caller, UUID id) {
		readable(caller, id);
		List<UUID> childIds = lineage.children(id, access.workspaceIds(caller), MAX_CHILDREN);
		Map<UUID, PromptView> views = byId(childIds);
		return childIds.stream().map(views::get).toList();
	}

	public Page<ForkNode> forks(Caller caller, UUID id, @Nullable UUID after, int limit) {
		readable(caller, id);
		List<LineageTree.Node> nodes = lineage.descendants(id, access.workspaceIds(caller), after, limit);
		Map<UUID, PromptView> views = byId(nodes.stream().map(LineageTree.Node::id).toList());
		return Page.of(nodes.stream().map(n -> new ForkNode(n.depth(), views.get(n.id()))).toList(), limit,
				node -> node.prompt().id());
	}

	private PromptView readable(Caller caller, UUID id) {
		PromptView prompt = prompts.find(id).orElseThrow(() -> ProblemException.notFound("prompt", id));
		if (!canRead(caller, prompt)) {
			throw ProblemException.notFound("prompt", id);
		}
		return prompt;
	}

	private boolean canRead(Caller caller, PromptView prompt) {
		return prompt.visibility() != Visibility.PRIVATE || access.isMember(caller, prompt.workspaceId());
	}

	private LineageEntry entry(Caller caller, @Nullable PromptView view, UUID id) {
		return view != null && canRead(caller, view) ? new LineageEntry(id, false, view) : new LineageEntry(id, true, null);
	}

	private Map<UUID, PromptView> byId(List<UUID> ids) {
		return prompts.findAll(ids).stream().collect(Collectors.toMap(PromptView::id, Function.identity()));
	}

}
