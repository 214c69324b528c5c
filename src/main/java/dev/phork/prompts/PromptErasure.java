package dev.phork.prompts;

import dev.phork.safety.UserDataErased;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Empties the title and body of every prompt the user wrote or forked into the library. Forks that
 * others made of them are those users' own copies and stay as they are (docs/retention.md).
 */
@Component
class PromptErasure {

	private final Prompts prompts;

	PromptErasure(Prompts prompts) {
		this.prompts = prompts;
	}

	@EventListener
	void on(UserDataErased event) {
		event.report("prompts", prompts.erase(event.userId()));
	}

}
