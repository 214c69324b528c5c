package dev.phork.studio;

import dev.phork.history.ProjectService;
import dev.phork.history.ProjectService.ForkNode;
import dev.phork.history.ProjectService.LineageEntry;
import dev.phork.history.ProjectView;
import dev.phork.identity.BrowserSessions;
import dev.phork.identity.BrowserSessions.Attribution;
import dev.phork.identity.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The fork tree of a project, drawn as server-rendered SVG: from the farthest ancestor the viewer
 * may read, every descendant the API's fork list shows them (public ones and their workspaces'),
 * each node a link with its attribution (workspace, its creator, the commit it forked at).
 */
@Hidden
@Controller
class ForkTreePage {

	static final int ROW = 64;

	static final int INDENT = 36;

	static final int MAX_NODES = 200;

	private final ProjectService projects;

	private final BrowserSessions sessions;

	ForkTreePage(ProjectService projects, BrowserSessions sessions) {
		this.projects = projects;
		this.sessions = sessions;
	}

	record TreeNode(ProjectView project, int depth, int x, int y, @Nullable Integer parentX, @Nullable Integer parentY,
			@Nullable Attribution attribution, boolean current) {
	}

	@GetMapping("/studio/projects/{id}/tree")
	String tree(Caller caller, @PathVariable UUID id, Model model) {
		ProjectView project = projects.readable(caller, id);
		ProjectView top = project;
		for (LineageEntry ancestor : projects.lineage(caller, id).ancestors()) {
			if (!ancestor.hidden() && ancestor.project() != null) {
				top = ancestor.project();
			}
		}
		List<ForkNode> forks = projects.forks(caller, top.id(), null, MAX_NODES).items();
		Map<UUID, List<ForkNode>> children = new LinkedHashMap<>();
		for (ForkNode node : forks) {
			UUID parent = node.project().parentProjectId();
			children.computeIfAbsent(parent, p -> new ArrayList<>()).add(node);
		}
		Map<UUID, Attribution> attributions = sessions.attributions(
				Stream.concat(Stream.of(top), forks.stream().map(ForkNode::project))
					.map(ProjectView::workspaceId)
					.distinct()
					.toList());
		List<TreeNode> nodes = new ArrayList<>();
		Map<UUID, TreeNode> placed = new HashMap<>();
		place(top, 0, null, children, attributions, id, nodes, placed);
		// Descendants whose parent the viewer may not see hang at their depth, without a branch.
		for (ForkNode node : forks) {
			if (!placed.containsKey(node.project().id())) {
				place(node.project(), node.depth(), null, children, attributions, id, nodes, placed);
			}
		}
		model.addAttribute("project", project);
		model.addAttribute("nodes", nodes);
		model.addAttribute("height", Math.max(1, nodes.size()) * ROW + 16);
		int deepest = nodes.stream().mapToInt(TreeNode::depth).max().orElse(0);
		model.addAttribute("width", 720 + deepest * INDENT);
		return "studio/tree";
	}

	private static void place(ProjectView project, int depth, @Nullable TreeNode parent, Map<UUID, List<ForkNode>> children,
			Map<UUID, Attribution> attributions, UUID current, List<TreeNode> nodes, Map<UUID, TreeNode> placed) {
		TreeNode node = new TreeNode(project, depth, 20 + depth * INDENT, 28 + nodes.size() * ROW,
				parent == null ? null : parent.x(), parent == null ? null : parent.y(),
				attributions.get(project.workspaceId()), project.id().equals(current));
		nodes.add(node);
		placed.put(project.id(), node);
		for (ForkNode child : children.getOrDefault(project.id(), List.of())) {
			place(child.project(), depth + 1, node, children, attributions, current, nodes, placed);
		}
	}

}
