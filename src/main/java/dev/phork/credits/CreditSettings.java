package dev.phork.credits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param starterCredits granted to the personal workspace a registration creates */
@ConfigurationProperties("phork.credits")
record CreditSettings(@DefaultValue("1000") long starterCredits) {
}
