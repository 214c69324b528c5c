package dev.phork.safety;

import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import dev.phork.identity.Caller;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Right to erasure: in one transaction, cancels the caller's unfinished jobs and removes the text
 * they wrote from job requests, asset provenance, pipeline storyboards, the prompt library and
 * safety events, keeping ids, timestamps, costs and fingerprints. docs/retention.md says what is
 * kept and why.
 */
@Tag(name = "users")
@RestController
class ErasureController {

	private final ApplicationEventPublisher events;

	private final SafetyService safety;

	private final TransactionTemplate tx;

	ErasureController(ApplicationEventPublisher events, SafetyService safety, TransactionTemplate tx) {
		this.events = events;
		this.safety = safety;
		this.tx = tx;
	}

	record ErasureReport(Map<String, Integer> erased) {
	}

	@Operation(operationId = "eraseMyData", summary = "Erase the text you wrote and cancel your unfinished jobs")
	@DeleteMapping("/users/me/data")
	ErasureReport erase(Caller caller) {
		UserDataErased event = new UserDataErased(caller.userId());
		tx.executeWithoutResult(status -> {
			events.publishEvent(event);
			event.report("safetyEvents", safety.erase(caller.userId()));
		});
		return new ErasureReport(Map.copyOf(event.erased()));
	}

}
