package dev.phork.identity;

import dev.phork.common.Ids;
import dev.phork.common.ProblemException;
import dev.phork.identity.Workspaces.MemberView;
import dev.phork.identity.Workspaces.WorkspaceView;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class WorkspaceService {

	private final Workspaces workspaces;

	private final WorkspaceAccess access;

	private final ApplicationEventPublisher events;

	WorkspaceService(Workspaces workspaces, WorkspaceAccess access, ApplicationEventPublisher events) {
		this.workspaces = workspaces;
		this.access = access;
		this.events = events;
	}

	@Transactional
	WorkspaceView create(Caller caller, String name) {
		UUID id = Ids.newId();
		workspaces.insert(id, name, false, caller.userId());
		workspaces.addMember(id, caller.userId(), Role.OWNER);
		events.publishEvent(new WorkspaceCreated(id, false));
		return new WorkspaceView(id, name, Role.OWNER);
	}

	List<WorkspaceView> list(Caller caller) {
		return workspaces.forUser(caller.userId());
	}

	WorkspaceView get(Caller caller, UUID workspaceId) {
		return workspaces.forUser(caller.userId(), workspaceId)
			.orElseThrow(() -> ProblemException.notFound("workspace", workspaceId));
	}

	List<MemberView> members(Caller caller, UUID workspaceId) {
		access.require(caller, workspaceId, Role.VIEWER);
		return workspaces.members(workspaceId);
	}

	@Transactional
	MemberView changeRole(Caller caller, UUID workspaceId, UUID userId, Role role) {
		access.require(caller, workspaceId, Role.OWNER);
		Role current = access.roleOf(userId, workspaceId).orElseThrow(() -> ProblemException.notFound("member", userId));
		if (current == Role.OWNER && role != Role.OWNER) {
			keepAnOwner(workspaceId);
		}
		workspaces.updateRole(workspaceId, userId, role);
		return workspaces.members(workspaceId).stream().filter(m -> m.userId().equals(userId)).findFirst().orElseThrow();
	}

	/**
	 * Any member may leave, whatever their role; only owners may remove others. The last owner can
	 * do neither (409 {@code last_owner}), so no workspace is left without someone to manage it; a
	 * personal workspace follows the same rule (its creator leaves it once another owner exists, and
	 * it stays with them, credits included).
	 */
	@Transactional
	void removeMember(Caller caller, UUID workspaceId, UUID userId) {
		access.require(caller, workspaceId, userId.equals(caller.userId()) ? Role.VIEWER : Role.OWNER);
		Role current = access.roleOf(userId, workspaceId).orElseThrow(() -> ProblemException.notFound("member", userId));
		if (current == Role.OWNER) {
			keepAnOwner(workspaceId);
		}
		workspaces.removeMember(workspaceId, userId);
	}

	private void keepAnOwner(UUID workspaceId) {
		if (workspaces.lockOwners(workspaceId) <= 1) {
			throw ProblemException.conflict("last_owner", "A workspace keeps at least one owner.");
		}
	}

}
