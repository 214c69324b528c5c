package dev.phork.identity;

import dev.phork.common.StartupFailure;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** @param ttl how long an invitation can be accepted ({@code PHORK_INVITATION_TTL}) */
@ConfigurationProperties("phork.invitations")
record InvitationSettings(Duration ttl) {

	InvitationSettings {
		if (ttl.isNegative() || ttl.isZero()) {
			throw new StartupFailure("PHORK_INVITATION_TTL (phork.invitations.ttl) must be positive, e.g. 7d; it is " + ttl + ".");
		}
	}

}
