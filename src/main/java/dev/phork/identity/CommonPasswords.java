package dev.phork.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The most common passwords (about 11 800, from published lists; the resource's header names them),
 * refused whatever their length: they are the first an attacker tries.
 */
@Component
class CommonPasswords {

	private static final String RESOURCE = "/identity/common-passwords.txt";

	private final Set<String> passwords;

	CommonPasswords() {
		Set<String> loaded = new HashSet<>();
		try (InputStream in = CommonPasswords.class.getResourceAsStream(RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException("missing resource " + RESOURCE);
			}
			BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (!line.isEmpty() && !line.startsWith("#")) {
					loaded.add(line);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.passwords = Set.copyOf(loaded);
	}

	boolean isCommon(String password) {
		return passwords.contains(password.toLowerCase(Locale.ROOT));
	}

}
