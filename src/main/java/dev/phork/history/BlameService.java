package dev.phork.history;

import dev.phork.identity.Caller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Blame: per scene and field, the commit that last set it, its author, and the project and
 * workspace it was made in, across forks and merges; and the commit and project that created the
 * scene. A commit made in a project the caller may not read is shown hidden (its id and its
 * project's id only), as the lineage shows such an ancestor.
 */
@Service
public class BlameService {

	private final ProjectService projects;

	private final CommitService commitService;

	private final Commits commits;

	private final Blames blames;

	BlameService(ProjectService projects, CommitService commitService, Commits commits, Blames blames) {
		this.projects = projects;
		this.commitService = commitService;
		this.commits = commits;
		this.blames = blames;
	}

	public record Attribution(UUID commitId, boolean hidden, UUID projectId, @Nullable UUID workspaceId,
			@Nullable UUID authorId, @Nullable String message, @Nullable Instant createdAt) {
	}

	public record SceneBlame(UUID sceneId, Attribution origin, Map<String, Attribution> fields) {
	}

	public record Blame(UUID commitId, List<SceneBlame> scenes) {
	}

	public Blame blame(Caller caller, UUID projectId, @Nullable String reference) {
		ProjectView project = projects.readable(caller, projectId);
		CommitView commit = commitService.resolveOrHead(project, reference);
		Map<UUID, Map<String, UUID>> rows = blames.of(commit.id());
		Set<UUID> ids = new HashSet<>();
		rows.values().forEach(fields -> ids.addAll(fields.values()));
		Map<UUID, Commits.Header> headers = commits.headers(ids)
			.stream()
			.collect(Collectors.toMap(Commits.Header::id, Function.identity()));
		Map<UUID, ProjectView> made = projects
			.findAll(headers.values().stream().map(Commits.Header::projectId).distinct().toList())
			.stream()
			.collect(Collectors.toMap(ProjectView::id, Function.identity()));
		Map<UUID, Attribution> attributions = new LinkedHashMap<>();
		for (Commits.Header header : headers.values()) {
			ProjectView in = made.get(header.projectId());
			attributions.put(header.id(), projects.canReadProject(caller, in)
					? new Attribution(header.id(), false, in.id(), in.workspaceId(), header.authorId(), header.message(),
							header.createdAt())
					: new Attribution(header.id(), true, in.id(), null, null, null, null));
		}
		List<SceneBlame> scenes = new ArrayList<>();
		for (Scene scene : commit.timeline().scenes()) {
			Map<String, UUID> row = rows.get(scene.id());
			Map<String, Attribution> fields = new LinkedHashMap<>();
			ThreeWayMerge.SCENE_FIELDS.forEach(field -> fields.put(field, attributions.get(row.get(field))));
			scenes.add(new SceneBlame(scene.id(), attributions.get(row.get(Blames.ORIGIN)), fields));
		}
		return new Blame(commit.id(), scenes);
	}

}
