package dev.phork.common;

import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Liveness for load balancers and humans; Actuator's detailed health lives under /actuator/health. */
@Tag(name = "health")
@RestController
class HealthController {

	@Operation(operationId = "getHealth", summary = "Liveness")
	@GetMapping("/health")
	Map<String, String> health() {
		return Map.of("status", "ok");
	}

}
