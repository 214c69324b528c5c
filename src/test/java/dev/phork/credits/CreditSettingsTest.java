package dev.phork.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phork.common.StartupFailure;
import org.junit.jupiter.api.Test;

/** A negative grant would fail every registration on the balance CHECK; it is refused at startup instead. */
class CreditSettingsTest {

	@Test
	void aNegativeStarterGrantIsRefusedNamingTheVariable() {
		assertThatThrownBy(() -> new CreditSettings(-1, 100)).isInstanceOf(StartupFailure.class)
			.hasMessageContaining("PHORK_STARTER_CREDITS");
		assertThat(new CreditSettings(0, 100).starterCredits()).isZero();
	}

}
