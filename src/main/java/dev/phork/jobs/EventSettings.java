package dev.phork.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param heartbeat how often an open stream sends a comment line; a client that went away is
 * noticed by the write that fails
 * @param recheck how often the access of every open stream's caller is checked again (one query for
 * all of them); a removed member's stream ends within this
 * @param resync how often a stream re-reads its state without being notified, in case a
 * notification was lost
 * @param maxDuration the longest a stream stays open; clients reconnect
 * @param maxPerUser streams one user may hold open at once in one server process
 */
@ConfigurationProperties("phork.events")
record EventSettings(Duration heartbeat, Duration recheck, Duration resync, Duration maxDuration, int maxPerUser) {
}
