package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phork.ApiTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database refuses forbidden writes on its own, whatever the application does: the SQL here is
 * what a buggy or malicious writer would issue directly.
 */
class LineageIntegrityTest extends ApiTest {

	@Autowired
	TransactionTemplate tx;

	@Test
	void aSpoofedRootIsRefusedForOriginalsAndForks() {
		TestUser user = register();
		UUID original = createProject(user, "original", "public");
		UUID head = headOf(original);
		UUID other = createProject(user, "other", "public");

		assertThatThrownBy(() -> insertProject(UUID.randomUUID(), user, null, null, other, head))
			.isInstanceOf(DataAccessException.class).hasMessageContaining("cannot be spoofed");
		assertThatThrownBy(() -> insertProject(UUID.randomUUID(), user, original, head, other, head))
			.isInstanceOf(DataAccessException.class).hasMessageContaining("cannot be spoofed");

		// Without a root the trigger derives it: the original's own id for the fork's root.
		UUID fork = UUID.randomUUID();
		insertProject(fork, user, original, head, null, head);
		assertThat(rootOf(fork)).isEqualTo(original);
	}

	@Test
	void lineageColumnsNeverChangeAfterInsert() {
		TestUser user = register();
		UUID original = createProject(user, "original", "public");
		UUID fork = fork(user, original);
		UUID other = createProject(user, "other", "public");
		for (String assignment : new String[] { "root_project_id = '" + other + "'", "parent_project_id = '" + other + "'",
				"parent_project_id = NULL", "fork_commit_id = '" + headOf(other) + "'", "workspace_id = workspace_id",
				"id = '" + UUID.randomUUID() + "'" }) {
			if (assignment.equals("workspace_id = workspace_id")) {
				db.sql("UPDATE projects SET " + assignment + " WHERE id = :id").param("id", fork).update();
				continue;
			}
			assertThatThrownBy(() -> db.sql("UPDATE projects SET " + assignment + " WHERE id = :id").param("id", fork).update())
				.as(assignment).isInstanceOf(DataAccessException.class).hasMessageContaining("cannot change after insert");
		}
		assertThat(rootOf(fork)).isEqualTo(original);
	}

	@Test
	void commitsCannotBeUpdatedDeletedOrTruncated() {
		TestUser user = register();
		UUID project = createProject(user, "immutable", "private");
		UUID commit = commit(user, project, "keep me", "[]");
		assertThatThrownBy(() -> db.sql("UPDATE commits SET message = 'rewritten' WHERE id = :id").param("id", commit).update())
			.isInstanceOf(DataAccessException.class).hasMessageContaining("immutable");
		assertThatThrownBy(() -> db.sql("DELETE FROM commits WHERE id = :id").param("id", commit).update())
			.isInstanceOf(DataAccessException.class).hasMessageContaining("immutable");
		assertThatThrownBy(() -> db.sql("TRUNCATE commits CASCADE").update())
			.isInstanceOf(DataAccessException.class).hasMessageContaining("immutable");
		assertThat(db.sql("SELECT message FROM commits WHERE id = :id").param("id", commit).query(String.class).single())
			.isEqualTo("keep me");
	}

	@Test
	void checkConstraintsHoldEvenWithTriggersDisabled() {
		TestUser user = register();
		UUID original = createProject(user, "original", "public");
		UUID head = headOf(original);
		// The tables' owner (the application's role) can switch their triggers off: the CHECK constraints remain.
		assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
			db.sql("ALTER TABLE projects DISABLE TRIGGER USER").update();
			insertProject(UUID.randomUUID(), user, null, null, original, head);
		})).isInstanceOf(DataAccessException.class).hasMessageContaining("projects_root_for_originals");
		assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
			db.sql("ALTER TABLE projects DISABLE TRIGGER USER").update();
			insertProject(UUID.randomUUID(), user, original, null, original, head);
		})).isInstanceOf(DataAccessException.class).hasMessageContaining("projects_fork_point");
		assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
			db.sql("ALTER TABLE prompts DISABLE TRIGGER USER").update();
			db.sql("""
					INSERT INTO prompts (id, workspace_id, title, body, root_prompt_id, created_by)
					VALUES (:id, :w, 't', 'b', :root, :u)""")
				.param("id", UUID.randomUUID()).param("w", user.workspaceId()).param("root", UUID.randomUUID())
				.param("u", user.userId()).update();
		})).isInstanceOf(DataAccessException.class).hasMessageContaining("prompts_root_for_originals");
	}

	@Test
	void promptLineageIsEnforcedTheSameWay() {
		TestUser user = register();
		var created = http.post("/prompts", user.token(),
				"{\"workspaceId\":\"" + user.workspaceId() + "\",\"title\":\"t\",\"body\":\"b\"}").assertStatus(201);
		UUID prompt = created.uuid("id");
		assertThatThrownBy(() -> db.sql("""
				INSERT INTO prompts (id, workspace_id, title, body, parent_prompt_id, root_prompt_id, created_by)
				VALUES (:id, :w, 't', 'b', :parent, :root, :u)""")
			.param("id", UUID.randomUUID()).param("w", user.workspaceId()).param("parent", prompt)
			.param("root", UUID.randomUUID()).param("u", user.userId()).update())
			.isInstanceOf(DataAccessException.class).hasMessageContaining("cannot be spoofed");
		assertThatThrownBy(() -> db.sql("UPDATE prompts SET root_prompt_id = :r WHERE id = :id")
			.param("r", UUID.randomUUID()).param("id", prompt).update())
			.isInstanceOf(DataAccessException.class).hasMessageContaining("cannot change after insert");
	}

	private void insertProject(UUID id, TestUser user, UUID parent, UUID forkCommit, UUID root, UUID head) {
		db.sql("""
				INSERT INTO projects (id, workspace_id, name, head_commit_id, parent_project_id, fork_commit_id,
				                      root_project_id, created_by)
				VALUES (:id, :w, 'direct', :head, :parent, :forkCommit, :root, :u)""")
			.param("id", id).param("w", user.workspaceId()).param("head", head).param("parent", parent)
			.param("forkCommit", forkCommit).param("root", root).param("u", user.userId())
			.update();
	}

	private UUID headOf(UUID project) {
		return db.sql("SELECT head_commit_id FROM projects WHERE id = :id").param("id", project).query(UUID.class).single();
	}

	private UUID rootOf(UUID project) {
		return db.sql("SELECT root_project_id FROM projects WHERE id = :id").param("id", project).query(UUID.class).single();
	}

}
