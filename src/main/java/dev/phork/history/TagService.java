package dev.phork.history;

import dev.phork.common.ProblemException;
import dev.phork.identity.Caller;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tags: a name for one commit of a project's history, unique per project. Wherever a commit is
 * accepted, one of the project's tag names may be given instead ({@link CommitService#resolve}).
 */
@Service
public class TagService {

	/** Letters, digits and {@code . _ -}; never the shape of a commit id. */
	static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";

	private final ProjectService projects;

	private final CommitService commitService;

	private final Tags tags;

	TagService(ProjectService projects, CommitService commitService, Tags tags) {
		this.projects = projects;
		this.commitService = commitService;
		this.tags = tags;
	}

	public record TagView(String name, UUID projectId, UUID commitId, UUID createdBy, java.time.Instant createdAt) {

		static TagView of(Tags.TagView row) {
			return new TagView(row.name(), row.projectId(), row.commitId(), row.createdBy(), row.createdAt());
		}

	}

	@Transactional
	public TagView create(Caller caller, UUID projectId, String name, String commit) {
		projects.writable(caller, projectId);
		if (!name.matches(NAME) || CommitService.parseId(name).isPresent()) {
			throw ProblemException.badRequest("invalid_tag_name",
					"A tag name is 1 to 100 letters, digits, '.', '_' or '-', starts with a letter or digit,"
							+ " and is not a commit id.");
		}
		CommitView target = commitService.resolve(projectId, commit);
		if (!tags.insert(projectId, name, target.id(), caller.userId())) {
			throw new ProblemException(org.springframework.http.HttpStatus.CONFLICT, "tag_exists",
					"Project " + projectId + " already has a tag " + name + ".",
					java.util.Map.of("commitId", tags.find(projectId, name).orElseThrow()));
		}
		return TagView.of(tags.view(projectId, name).orElseThrow());
	}

	public List<TagView> list(Caller caller, UUID projectId) {
		projects.readable(caller, projectId);
		return tags.list(projectId).stream().map(TagView::of).toList();
	}

	@Transactional
	public void delete(Caller caller, UUID projectId, String name) {
		projects.writable(caller, projectId);
		if (!tags.delete(projectId, name)) {
			throw ProblemException.notFound("tag", name);
		}
	}

}
