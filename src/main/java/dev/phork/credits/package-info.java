/**
 * Credit accounts and the ledger: every change of a balance is one ledger row in the same
 * transaction, and the balance never goes below zero.
 */
@NullMarked
package dev.phork.credits;

import org.jspecify.annotations.NullMarked;
