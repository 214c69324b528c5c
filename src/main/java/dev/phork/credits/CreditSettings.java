package dev.phork.credits;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** @param starterCredits granted to the personal workspace a registration creates */
@ConfigurationProperties("phork.credits")
record CreditSettings(long starterCredits) {
}
