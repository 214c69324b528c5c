package dev.phork.jobs;

import dev.phork.jobs.Jobs.JobRow;
import dev.phork.safety.UserDataErased;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Removes a user's prompt text from the requests of the jobs they submitted. Their unfinished jobs
 * are canceled and refunded first: a job cannot run once its prompt is gone, and a worker running
 * one would otherwise mint, after the erasure, an asset whose provenance repeats the prompt. That
 * is why this listener runs before the others: the provenance erased next includes every asset
 * minted until the cancellation.
 */
@Component
class JobErasure {

	private final Jobs jobs;

	private final JobEndings endings;

	JobErasure(Jobs jobs, JobEndings endings) {
		this.jobs = jobs;
		this.endings = endings;
	}

	@EventListener
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void on(UserDataErased event) {
		List<JobRow> canceled = jobs.cancelUnfinished(event.userId());
		canceled.forEach(endings::unsuccessful);
		event.report("jobsCanceled", canceled.size());
		event.report("jobRequests", jobs.erasePrompts(event.userId(), UserDataErased.TEXT_KEYS));
	}

}
