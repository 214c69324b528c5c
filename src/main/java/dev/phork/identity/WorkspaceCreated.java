package dev.phork.identity;

import java.util.UUID;

/**
 * Published inside the transaction that creates a workspace, so listeners (the credit account)
 * commit or roll back with it. {@code personal} marks the workspace a registration creates.
 */
public record WorkspaceCreated(UUID workspaceId, boolean personal) {
}
