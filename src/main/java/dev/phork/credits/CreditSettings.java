package dev.phork.credits;

import dev.phork.common.StartupFailure;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param starterCredits granted to the personal workspace a registration creates; 0 turns the
 *     grant off. Every registration brings this many credits, so it is what one throwaway account
 *     is worth to an abuser (docs/configuration.md).
 * @param low a debit that takes a balance from at least this to below it publishes {@link CreditsLow}
 */
@ConfigurationProperties("phork.credits")
record CreditSettings(long starterCredits, long low) {

	CreditSettings {
		if (starterCredits < 0) {
			throw new StartupFailure("PHORK_STARTER_CREDITS (phork.credits.starter-credits) must be 0 or more; it is "
					+ starterCredits + ".");
		}
	}

}
