package dev.phork.common;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Liveness for load balancers and humans; Actuator's detailed health lives under /actuator/health. */
@RestController
class HealthController {

	@GetMapping("/health")
	Map<String, String> health() {
		return Map.of("status", "ok");
	}

}
