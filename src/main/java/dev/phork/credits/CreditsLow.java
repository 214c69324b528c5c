package dev.phork.credits;

import java.util.UUID;

/**
 * Published in the transaction whose debit took the workspace's balance from at least
 * {@code threshold} ({@code PHORK_CREDITS_LOW}) to below it: once per crossing, since the next
 * debit starts below; a grant or refund that lifts it back makes the next fall another crossing.
 */
public record CreditsLow(UUID workspaceId, long balance, long threshold) {
}
