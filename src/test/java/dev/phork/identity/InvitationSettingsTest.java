package dev.phork.identity;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phork.common.StartupFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An invitation that expires as it is made could never be accepted; such a setting is refused at startup. */
class InvitationSettingsTest {

	@Test
	void aLifetimeThatIsNotPositiveIsRefusedNamingTheVariable() {
		for (Duration ttl : new Duration[] { Duration.ZERO, Duration.ofDays(-1) }) {
			assertThatThrownBy(() -> new InvitationSettings(ttl)).isInstanceOf(StartupFailure.class)
				.hasMessageContaining("PHORK_INVITATION_TTL");
		}
	}

}
