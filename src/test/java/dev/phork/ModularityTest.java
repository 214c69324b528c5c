package dev.phork;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

/**
 * Features talk to each other only through their root packages (their API), and never in cycles.
 */
class ModularityTest {

	@Test
	void moduleBoundariesHold() {
		ApplicationModules modules = ApplicationModules.of(PhorkApplication.class).verify();
		assertThat(modules.stream().map(ApplicationModule::getIdentifier).map(Object::toString))
			.contains("common", "identity", "credits", "history", "prompts");
	}

}
