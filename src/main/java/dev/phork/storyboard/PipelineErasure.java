package dev.phork.storyboard;

import dev.phork.safety.UserDataErased;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Removes a user's prompt text from the storyboards of the pipelines they started. */
@Component
class PipelineErasure {

	private final Pipelines pipelines;

	PipelineErasure(Pipelines pipelines) {
		this.pipelines = pipelines;
	}

	@EventListener
	void on(UserDataErased event) {
		event.report("pipelineStoryboards", pipelines.erase(event.userId(), UserDataErased.TEXT_KEYS));
	}

}
