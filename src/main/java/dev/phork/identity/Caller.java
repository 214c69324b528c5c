package dev.phork.identity;

import java.util.UUID;

/** The authenticated user a request acts for, whether it signed in with a JWT or an API key. */
public record Caller(UUID userId) {
}
