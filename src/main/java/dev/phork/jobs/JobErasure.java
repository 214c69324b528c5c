package dev.phork.jobs;

import dev.phork.safety.UserDataErased;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Removes a user's prompt text from the requests of the jobs they submitted. */
@Component
class JobErasure {

	private final Jobs jobs;

	JobErasure(Jobs jobs) {
		this.jobs = jobs;
	}

	@EventListener
	void on(UserDataErased event) {
		event.report("jobRequests", jobs.erasePrompts(event.userId()));
	}

}
