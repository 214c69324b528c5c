package dev.phork.studio;

import dev.phork.common.ProblemException;
import dev.phork.common.Visibility;
import dev.phork.credits.CreditLedger;
import dev.phork.history.ProjectService;
import dev.phork.history.ProjectService.CreateProjectCommand;
import dev.phork.history.ProjectView;
import dev.phork.identity.BrowserSessions;
import dev.phork.identity.BrowserSessions.Membership;
import dev.phork.identity.Caller;
import dev.phork.identity.Role;
import dev.phork.identity.WorkspaceAccess;
import dev.phork.jobs.JobService;
import dev.phork.jobs.JobStatus;
import dev.phork.jobs.JobView;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Workspaces, their credits, ledger, members, invitations and jobs in flight; the projects of one workspace. */
@Hidden
@Controller
class WorkspacePages {

	private final BrowserSessions sessions;

	private final CreditLedger credits;

	private final WorkspaceAccess access;

	private final ProjectService projects;

	private final JobService jobs;

	WorkspacePages(BrowserSessions sessions, CreditLedger credits, WorkspaceAccess access, ProjectService projects,
			JobService jobs) {
		this.sessions = sessions;
		this.credits = credits;
		this.access = access;
		this.projects = projects;
		this.jobs = jobs;
	}

	record WorkspaceLine(Membership membership, long balance) {
	}

	/** The home page: the caller's workspaces with their balances and the projects of the chosen one. */
	@GetMapping("/studio")
	String home(Caller caller, @RequestParam(required = false) @Nullable UUID workspace, Model model) {
		List<Membership> memberships = sessions.workspaces(caller);
		Membership current = workspace == null ? memberships.get(0) : sessions.workspace(caller, workspace);
		List<WorkspaceLine> lines = new ArrayList<>();
		for (Membership m : memberships) {
			lines.add(new WorkspaceLine(m, credits.balance(m.workspaceId()).balance()));
		}
		model.addAttribute("account", sessions.account(caller));
		model.addAttribute("workspaces", lines);
		model.addAttribute("current", current);
		model.addAttribute("projects", projects.list(caller, current.workspaceId(), null, 200).items());
		return "studio/home";
	}

	@PostMapping("/studio/workspaces")
	String createWorkspace(Caller caller, @RequestParam(defaultValue = "") String name, Model model,
			HttpServletResponse response) {
		try {
			return "redirect:/studio?workspace=" + sessions.createWorkspace(caller, name).workspaceId();
		}
		catch (ProblemException ex) {
			model.addAttribute("workspaceError", ex.getMessage());
			model.addAttribute("workspaceName", name);
			response.setStatus(ex.status().value());
			return home(caller, null, model);
		}
	}

	@PostMapping("/studio/projects")
	String createProject(Caller caller, @RequestParam UUID workspaceId, @RequestParam(defaultValue = "") String name,
			@RequestParam(required = false) @Nullable String description,
			@RequestParam(defaultValue = "private") String visibility, Model model, HttpServletResponse response) {
		try {
			if (name.isBlank()) {
				throw ProblemException.badRequest("validation_failed", "Give the project a name.");
			}
			ProjectView project = projects.create(caller, new CreateProjectCommand(workspaceId, name.strip(),
					description == null || description.isBlank() ? null : description, Visibility.parse(visibility)), null)
				.project();
			return "redirect:/studio/projects/" + project.id();
		}
		catch (ProblemException ex) {
			model.addAttribute("projectError", ex.getMessage());
			model.addAttribute("projectName", name);
			model.addAttribute("projectDescription", description);
			response.setStatus(ex.status().value());
			return home(caller, workspaceId, model);
		}
	}

	/** One workspace: balance, ledger, members and invitations, and its jobs. */
	@GetMapping("/studio/workspaces/{id}")
	String workspace(Caller caller, @PathVariable UUID id, Model model) {
		Membership membership = sessions.workspace(caller, id);
		access.require(caller, id, Role.VIEWER);
		model.addAttribute("workspace", membership);
		model.addAttribute("balance", credits.balance(id).balance());
		model.addAttribute("ledger", credits.ledger(id, null, 50).items());
		model.addAttribute("members", sessions.members(caller, id));
		model.addAttribute("owner", membership.role() == Role.OWNER);
		model.addAttribute("editor", membership.role().atLeast(Role.EDITOR));
		jobsModel(caller, id, model);
		return "studio/workspace";
	}

	/** The jobs panel alone, which the page fetches again every few seconds while jobs are in flight. */
	@GetMapping("/studio/workspaces/{id}/jobs")
	String jobsPanel(Caller caller, @PathVariable UUID id, Model model) {
		Membership membership = sessions.workspace(caller, id);
		model.addAttribute("workspace", membership);
		model.addAttribute("editor", membership.role().atLeast(Role.EDITOR));
		jobsModel(caller, id, model);
		return "studio/workspace :: jobs";
	}

	@PostMapping("/studio/workspaces/{id}/invitations")
	String invite(Caller caller, @PathVariable UUID id, @RequestParam(defaultValue = "") String email,
			@RequestParam(defaultValue = "editor") String role, Model model, HttpServletResponse response) {
		try {
			sessions.invite(caller, id, email, role);
			model.addAttribute("inviteNotice", "Invitation sent to " + email.strip() + ".");
		}
		catch (ProblemException ex) {
			model.addAttribute("inviteError", ex.getMessage());
			model.addAttribute("inviteEmail", email);
			response.setStatus(ex.status().value());
		}
		return workspace(caller, id, model);
	}

	@PostMapping("/studio/jobs/{id}/cancel")
	String cancel(Caller caller, @PathVariable UUID id) {
		JobView job = jobs.cancel(caller, id);
		return "redirect:/studio/workspaces/" + job.workspaceId() + "#jobs";
	}

	private void jobsModel(Caller caller, UUID workspaceId, Model model) {
		Map<UUID, JobView> inFlight = new LinkedHashMap<>();
		for (JobStatus status : List.of(JobStatus.RUNNING, JobStatus.QUEUED)) {
			jobs.list(caller, workspaceId, status, null, null, 100).items().forEach(j -> inFlight.put(j.id(), j));
		}
		model.addAttribute("inFlight", List.copyOf(inFlight.values()));
		model.addAttribute("failed", jobs.list(caller, workspaceId, JobStatus.FAILED, null, null, 10).items());
	}

}
