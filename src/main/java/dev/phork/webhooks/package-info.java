/**
 * Outgoing webhooks, signed per Standard Webhooks: endpoints per workspace, an outbox of events
 * written in the transaction of each change (by listening to the other features' events), and
 * dispatchers in any number of processes delivering each event to each subscribed endpoint at least
 * once, on a retry schedule, never to the server's own network.
 */
@NullMarked
package dev.phork.webhooks;

import org.jspecify.annotations.NullMarked;
