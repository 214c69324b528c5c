package dev.phork.common;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Server-side identifiers: UUIDv7 (RFC 9562), so ids sort by creation time and B-tree inserts stay
 * at the right edge of the index. Clients never choose an id.
 */
public final class Ids {

	private static final SecureRandom RANDOM = new SecureRandom();

	private Ids() {
	}

	public static UUID newId() {
		long millis = System.currentTimeMillis();
		long randA = RANDOM.nextInt(1 << 12);
		long randB = RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL;
		long msb = (millis << 16) | (0x7L << 12) | randA;
		long lsb = 0x8000_0000_0000_0000L | randB;
		return new UUID(msb, lsb);
	}

}
