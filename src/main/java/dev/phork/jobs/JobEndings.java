package dev.phork.jobs;

import dev.phork.credits.CreditLedger;
import dev.phork.jobs.Jobs.JobRow;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What follows a job ending without success, in the transaction that ends it: its refund, the
 * failure (and refund) of every job that waited on it, and the events for each.
 */
@Component
class JobEndings {

	private final Jobs jobs;

	private final CreditLedger credits;

	private final ApplicationEventPublisher events;

	JobEndings(Jobs jobs, CreditLedger credits, ApplicationEventPublisher events) {
		this.jobs = jobs;
		this.credits = credits;
		this.events = events;
	}

	@Transactional(propagation = Propagation.MANDATORY)
	void unsuccessful(JobRow job) {
		credits.refund(job.view().workspaceId(), job.id(), job.view().cost());
		for (JobRow dependent : jobs.failDependents(job.id())) {
			credits.refund(dependent.view().workspaceId(), dependent.id(), dependent.view().cost());
			events.publishEvent(new JobEnded(dependent.id(), dependent.pipelineId(), JobStatus.FAILED,
					dependent.view().error(), dependent.view()));
		}
		events.publishEvent(
				new JobEnded(job.id(), job.pipelineId(), job.view().status(), job.view().error(), job.view()));
	}

}
