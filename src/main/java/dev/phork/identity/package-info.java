/**
 * Users, sign-in (JWT and API keys), workspaces and their members, and the one authorization check
 * every other feature calls before it touches data: {@link dev.phork.identity.WorkspaceAccess}.
 */
@NullMarked
package dev.phork.identity;

import org.jspecify.annotations.NullMarked;
