package dev.phork.common.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.security.auth.module.UnixSystem;
import dev.phork.PhorkApplication;
import dev.phork.common.StartupFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing runs from a folder another local user could have written: not the predictable folder
 * under {@code $TMPDIR} the launcher used to trust, and not an unpacked copy that was changed.
 */
class PostgresBinariesTest {

	private static final boolean ROOT = new UnixSystem().getUid() == 0;

	private static final int STRANGER = 4242;

	@TempDir
	static Path shared;

	static Path binaries;

	@BeforeAll
	static void unpackOnce() {
		binaries = PostgresBinaries.unpack(shared.resolve("postgres-binaries"));
	}

	@Test
	void unpacksIntoAFolderOnlyThisUserCanWrite() throws IOException {
		assertThat(binaries).isEqualTo(shared.resolve("postgres-binaries").resolve(PostgresBinaries.archiveStamp()));
		assertThat(binaries.resolve("bin/postgres")).isExecutable();
		try (var entries = Files.walk(binaries)) {
			assertThat(entries.filter(p -> !Files.isSymbolicLink(p)).toList()).allSatisfy(p -> {
				assertThat(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as(p.toString())
					.isEqualTo((int) new UnixSystem().getUid());
				assertThat((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0022).as(p.toString())
					.isZero();
			});
		}
		assertThat(PostgresBinaries.unpack(shared.resolve("postgres-binaries"))).isEqualTo(binaries);
	}

	@Test
	void aBinaryOthersCanWriteIsNotRun() throws IOException {
		Path pgCtl = binaries.resolve("bin/pg_ctl");
		Files.setAttribute(pgCtl, "unix:mode", 0757);
		try {
			assertThatThrownBy(() -> PostgresBinaries.unpack(shared.resolve("postgres-binaries")))
				.isInstanceOf(StartupFailure.class)
				.hasMessageContaining(pgCtl + " can be written by other users (mode 0757)")
				.hasMessageContaining("Delete " + binaries);
		}
		finally {
			Files.setAttribute(pgCtl, "unix:mode", 0755);
		}
	}

	@Test
	void aBinaryThatBelongsToAnotherUserIsNotRun() throws IOException {
		Assumptions.assumeTrue(ROOT, "only root can give a file away");
		Path postgres = binaries.resolve("bin/postgres");
		Files.setAttribute(postgres, "unix:uid", STRANGER);
		try {
			assertThatThrownBy(() -> PostgresBinaries.unpack(shared.resolve("postgres-binaries")))
				.isInstanceOf(StartupFailure.class)
				.hasMessageContaining(postgres + " belongs to uid " + STRANGER);
		}
		finally {
			Files.setAttribute(postgres, "unix:uid", 0);
		}
	}

	@Test
	void aFolderOthersCanWriteAboveTheDataFolderIsRefusedBeforeAnythingIsUnpacked(@TempDir Path temp) throws IOException {
		Path open = Files.createDirectory(temp.resolve("open"));
		Files.setAttribute(open, "unix:mode", 0777);
		Path root = open.resolve("data/postgres-binaries");
		assertThatThrownBy(() -> PostgresBinaries.unpack(root)).isInstanceOf(StartupFailure.class)
			.hasMessageContaining(open + " can be written by other users (mode 0777)")
			.hasMessageContaining("PHORK_DATA_DIR");
		assertThat(root.resolve(PostgresBinaries.archiveStamp())).doesNotExist();
	}

	@Test
	void aFolderPlantedByAnotherUserWhereTheBinariesGoIsNotRun(@TempDir Path temp) throws IOException {
		Assumptions.assumeTrue(ROOT, "only root can plant a file as another user");
		Path root = Files.createDirectories(temp.resolve("data/postgres-binaries"));
		Path planted = plant(root.resolve(PostgresBinaries.archiveStamp()), temp.resolve("ran"));
		Files.setAttribute(planted, "unix:uid", STRANGER);
		assertThatThrownBy(() -> PostgresBinaries.unpack(root)).isInstanceOf(StartupFailure.class)
			.hasMessageContaining(planted + " belongs to uid " + STRANGER);
	}

	/**
	 * Another local user creates {@code $TMPDIR/phork-postgres/<version>/} with a {@code .complete}
	 * marker before Phork first starts; the launcher used to run its initdb, as root.
	 */
	@Test
	void binariesPlantedInTheOldTemporaryFolderAreNeverRun(@TempDir Path temp) throws Exception {
		Path tmpdir = Files.createDirectory(temp.resolve("tmp"));
		Path marker = temp.resolve("planted-binary-ran");
		plant(tmpdir.resolve("phork-postgres").resolve(PostgresBinaries.archiveStamp()), marker);
		Path dataDir = Files.createDirectory(temp.resolve("data"));
		Files.setAttribute(temp, "unix:mode", 0755);
		Path log = temp.resolve("server.log");
		Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Djava.io.tmpdir=" + tmpdir, "-cp", System.getProperty("java.class.path"), PhorkApplication.class.getName(),
				"--server.port=0", "--phork.data-dir=" + dataDir).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
			while (!Files.readString(log).contains("Phork is running") && server.isAlive() && System.nanoTime() < deadline) {
				Thread.sleep(200);
			}
			assertThat(marker).as(Files.readString(log)).doesNotExist();
			assertThat(Files.readString(log)).contains("Phork is running");
		}
		finally {
			server.destroy();
			server.waitFor();
		}
	}

	/** A folder that looks like unpacked binaries whose programs leave {@code marker} behind when run. */
	private static Path plant(Path folder, Path marker) throws IOException {
		Path bin = Files.createDirectories(folder.resolve("bin"));
		for (String program : List.of("initdb", "postgres", "pg_ctl")) {
			Path script = bin.resolve(program);
			Files.writeString(script, "#!/bin/sh\ntouch " + marker + "\nexit 1\n");
			Files.setAttribute(script, "unix:mode", 0755);
		}
		Files.writeString(folder.resolve(".complete"), "postgres-linux-x86_64.txz");
		return bin.resolve("postgres");
	}

}
