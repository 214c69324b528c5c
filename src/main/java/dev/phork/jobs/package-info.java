/**
 * Paid, idempotent, asynchronous jobs: submission (one transaction with the debit), the queue in
 * PostgreSQL (SKIP LOCKED claims, leases, LISTEN/NOTIFY wake-ups, a rescuer), the worker runtime and
 * job events.
 */
@NullMarked
package dev.phork.jobs;

import org.jspecify.annotations.NullMarked;
