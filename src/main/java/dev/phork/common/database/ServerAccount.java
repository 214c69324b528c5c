package dev.phork.common.database;

import com.sun.security.auth.module.UnixSystem;
import dev.phork.common.Hashes;
import dev.phork.common.StartupFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating-system account the embedded PostgreSQL runs as.
 *
 * <p>PostgreSQL refuses to run as root. When Phork runs as root, the server is started through
 * {@code setpriv} as a really unprivileged uid and gid (65534, "nobody", unless configured), with
 * no supplementary groups and no way to gain privileges again. A user namespace would not do: there
 * the server is uid 0 on the host, and a superuser's {@code COPY ... FROM PROGRAM} reads anything
 * root can. Run this way the account owns the PostgreSQL data folder and nothing else; it can read
 * the binaries but not change them, and cannot read the secrets. When Phork runs as a normal user,
 * the server runs as that user, like any program they start.
 */
final class ServerAccount {

	private static final Logger log = LoggerFactory.getLogger(ServerAccount.class);

	/** Where clusters live whose data folder the server's account cannot enter. */
	static final Path FALLBACK_ROOT = Path.of("/var/lib/phork/embedded");

	private static final List<Path> SETPRIV = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));

	private final int uid;

	private final int gid;

	private final List<String> wrapper;

	private ServerAccount(int uid, int gid, List<String> wrapper) {
		this.uid = uid;
		this.gid = gid;
		this.wrapper = wrapper;
	}

	static ServerAccount of(int unprivilegedId) {
		UnixSystem me = new UnixSystem();
		if (me.getUid() != 0) {
			return new ServerAccount((int) me.getUid(), (int) me.getGid(), List.of());
		}
		if (unprivilegedId <= 0) {
			throw new StartupFailure("phork.database.embedded-user-id (PHORK_EMBEDDED_DB_UID) is " + unprivilegedId
					+ "; the embedded PostgreSQL needs an unprivileged uid above 0 to run as when Phork runs as root.");
		}
		Path setpriv = SETPRIV.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new StartupFailure(
				"Phork runs as root, so the embedded PostgreSQL must run as an unprivileged user through setpriv, "
						+ "and setpriv is missing; install util-linux, run Phork as a normal user, or configure PHORK_DATABASE_URL."));
		return new ServerAccount(unprivilegedId, unprivilegedId, List.of(setpriv.toString(), "--reuid=" + unprivilegedId,
				"--regid=" + unprivilegedId, "--clear-groups", "--no-new-privs", "--"));
	}

	/** Whether the server runs as another account than this process (Phork runs as root). */
	boolean separate() {
		return !wrapper.isEmpty();
	}

	int uid() {
		return uid;
	}

	/** The command line that runs {@code program} as this account. */
	List<String> command(Path program, List<String> args) {
		List<String> command = new ArrayList<>(wrapper);
		command.add(program.toString());
		command.addAll(args);
		return command;
	}

	/**
	 * The folder that holds the server's cluster and binaries: the data folder itself when the
	 * server can walk down to it, otherwise a folder of Phork's own under {@link #FALLBACK_ROOT}.
	 *
	 * <p>Every folder above the data folder must let the account search it, which Phork does not
	 * change (they are the operator's); the data folder itself gets the search bit for others (o+x)
	 * if it lacks it. Search is not listing: the account still cannot see what else the data folder
	 * holds, and the secrets in it are 0600. When a folder above is closed (a clone under
	 * {@code /root}, which is 0700), the cluster lives in {@code /var/lib/phork/embedded/<hash of the
	 * data folder's path>} instead, root-owned and searchable only, so the same data folder always
	 * finds the same cluster; the secrets, blobs and logs stay in the data folder.
	 */
	Path serverHome(Path dataDir) {
		if (!separate()) {
			return dataDir;
		}
		Path closed = closedAncestor(dataDir);
		if (closed == null) {
			allowSearch(dataDir);
			return dataDir;
		}
		Path home = FALLBACK_ROOT.resolve(Hashes.sha256Hex(dataDir.toAbsolutePath().normalize().toString()).substring(0, 16));
		try {
			for (Path folder : List.of(FALLBACK_ROOT.getParent(), FALLBACK_ROOT, home)) {
				if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
					Files.createDirectory(folder);
				}
				Map<String, Object> attributes = unixAttributes(folder);
				if (!Integer.valueOf(0).equals(attributes.get("uid"))) {
					throw new StartupFailure("the embedded PostgreSQL's folder " + folder + " belongs to uid "
							+ attributes.get("uid") + ", not root; remove it, or set PHORK_DATA_DIR to a folder that uid "
							+ uid + " can enter.");
				}
				Files.setAttribute(folder, "unix:mode", folder.equals(FALLBACK_ROOT.getParent()) ? 0755 : 0711,
						LinkOption.NOFOLLOW_LINKS);
			}
		}
		catch (IOException ex) {
			throw new StartupFailure("the embedded PostgreSQL runs as uid " + uid + " (Phork runs as root) and cannot enter "
					+ closed + " above the data folder " + dataDir + ", and " + home + " cannot be made (" + ex.getMessage()
					+ "); make " + closed + " searchable (chmod o+x), set PHORK_DATA_DIR to a folder such as /var/lib/phork, "
					+ "or run Phork as a normal user.", ex);
		}
		log.info("uid {} cannot enter {} above the data folder {}; the embedded PostgreSQL's cluster lives in {}", uid, closed,
				dataDir, home);
		return home;
	}

	private @Nullable Path closedAncestor(Path dataDir) {
		for (Path folder = dataDir.toAbsolutePath().getParent(); folder != null; folder = folder.getParent()) {
			if (!searchable(unixAttributes(folder))) {
				return folder;
			}
		}
		return null;
	}

	private void allowSearch(Path folder) {
		Map<String, Object> attributes = unixAttributes(folder);
		if (!searchable(attributes)) {
			try {
				Files.setAttribute(folder, "unix:mode", (Integer) attributes.get("mode") & 07777 | 0001);
			}
			catch (IOException ex) {
				throw new StartupFailure("cannot let the embedded PostgreSQL (uid " + uid + ") enter the data folder "
						+ folder + " (" + ex.getMessage() + "); chmod o+x it or run Phork as a normal user.", ex);
			}
		}
	}

	/**
	 * Gives the PostgreSQL data folder to this account, mode 0700. A folder that belongs to someone
	 * else (one made by an earlier Phork, whose server ran as root through a user namespace, or
	 * before the configured uid changed) is handed over file by file; symbolic links are changed
	 * themselves, never followed.
	 */
	void own(Path pgData) {
		try {
			if (!Files.exists(pgData)) {
				Files.createDirectory(pgData);
			}
			if (separate() && !Integer.valueOf(uid).equals(Files.getAttribute(pgData, "unix:uid", LinkOption.NOFOLLOW_LINKS))) {
				// Files.walk follows no symbolic link; chown changes a link itself.
				try (Stream<Path> tree = Files.walk(pgData)) {
					for (Path path : (Iterable<Path>) tree::iterator) {
						chown(path);
					}
				}
			}
			Files.setAttribute(pgData, "unix:mode", 0700);
		}
		catch (IOException ex) {
			throw new StartupFailure("cannot give the embedded PostgreSQL's folder " + pgData + " to uid " + uid + " ("
					+ ex.getMessage() + ").", ex);
		}
	}

	/** Gives one file Phork wrote for the server (its configuration, initdb's password file) to this account. */
	void give(Path file) throws IOException {
		if (separate()) {
			chown(file);
		}
	}

	private void chown(Path path) throws IOException {
		Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
		Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
	}

	private boolean searchable(Map<String, Object> attributes) {
		int mode = (Integer) attributes.get("mode");
		if (Integer.valueOf(uid).equals(attributes.get("uid"))) {
			return (mode & 0100) != 0;
		}
		if (Integer.valueOf(gid).equals(attributes.get("gid"))) {
			return (mode & 0010) != 0;
		}
		return (mode & 0001) != 0;
	}

	private static Map<String, Object> unixAttributes(Path path) {
		try {
			return Files.readAttributes(path, "unix:uid,gid,mode");
		}
		catch (IOException ex) {
			throw new StartupFailure("cannot read the permissions of " + path + " (" + ex.getMessage() + ").", ex);
		}
	}

}
