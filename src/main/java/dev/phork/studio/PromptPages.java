package dev.phork.studio;

import dev.phork.common.ProblemException;
import dev.phork.identity.BrowserSessions;
import dev.phork.identity.Caller;
import dev.phork.identity.Role;
import dev.phork.prompts.PromptService;
import dev.phork.prompts.PromptView;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The prompt library: the caller's prompts, creating one, a prompt with its lineage, and forking it. */
@Hidden
@Controller
class PromptPages {

	private final PromptService prompts;

	private final BrowserSessions sessions;

	PromptPages(PromptService prompts, BrowserSessions sessions) {
		this.prompts = prompts;
		this.sessions = sessions;
	}

	@GetMapping("/studio/prompts")
	String list(Caller caller, Model model) {
		model.addAttribute("prompts", prompts.list(caller, null, null, 200).items());
		model.addAttribute("workspaces",
				sessions.workspaces(caller).stream().filter(m -> m.role().atLeast(Role.EDITOR)).toList());
		return "studio/prompts";
	}

	@PostMapping("/studio/prompts")
	String create(Caller caller, @RequestParam UUID workspaceId, @RequestParam(defaultValue = "") String title,
			@RequestParam(defaultValue = "") String body, Model model, HttpServletResponse response) {
		try {
			if (title.isBlank() || body.isBlank()) {
				throw ProblemException.badRequest("validation_failed", "Give the prompt a title and a text.");
			}
			return "redirect:/studio/prompts/" + prompts.create(caller, workspaceId, title.strip(), body, null).id();
		}
		catch (ProblemException ex) {
			model.addAttribute("error", ex.getMessage());
			model.addAttribute("title", title);
			model.addAttribute("body", body);
			response.setStatus(ex.status().value());
			return list(caller, model);
		}
	}

	@GetMapping("/studio/prompts/{id}")
	String prompt(Caller caller, @PathVariable UUID id, Model model) {
		PromptView prompt = prompts.get(caller, id);
		model.addAttribute("prompt", prompt);
		model.addAttribute("lineage", prompts.lineage(caller, id));
		model.addAttribute("workspaces",
				sessions.workspaces(caller).stream().filter(m -> m.role().atLeast(Role.EDITOR)).toList());
		return "studio/prompt";
	}

	@PostMapping("/studio/prompts/{id}/fork")
	String fork(Caller caller, @PathVariable UUID id, @RequestParam UUID workspaceId) {
		return "redirect:/studio/prompts/" + prompts.fork(caller, id, workspaceId, null, null).id();
	}

}
