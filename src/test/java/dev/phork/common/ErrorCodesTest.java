package dev.phork.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * One list of error codes: every code the main sources answer with is in {@link ProblemCatalog}
 * (which the OpenAPI document is built from), and docs/api.md's "Error codes" table lists exactly
 * the catalog's codes with their statuses.
 */
class ErrorCodesTest {

	/** Where the sources name a problem's code: factories, constructors, the handlers' own codes. */
	private static final Pattern[] USES = { Pattern.compile("ProblemException\\.(?:badRequest|conflict|unprocessable)\\(\"([a-z_]+)\""),
			Pattern.compile("HttpStatus\\.[A-Z_]+,\\s*\"([a-z_]+)\""), Pattern.compile("tooMany\\(\"([a-z_]+)\""),
			Pattern.compile("\\? \"([a-z]+_[a-z_]+)\"\\s*: \"([a-z]+_[a-z_]+)\""), Pattern.compile("case \\d+ -> \"([a-z_]+)\"") };

	private static final Pattern NOT_FOUND = Pattern.compile("notFound\\(\"([a-z_]+)\"");

	@Test
	void everyCodeTheServerAnswersIsCatalogued() throws IOException {
		Set<String> used = new TreeSet<>();
		try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
			for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
				String source = Files.readString(file);
				for (Pattern use : USES) {
					Matcher m = use.matcher(source);
					while (m.find()) {
						for (int g = 1; g <= m.groupCount(); g++) {
							used.add(m.group(g));
						}
					}
				}
				Matcher m = NOT_FOUND.matcher(source);
				while (m.find()) {
					used.add(m.group(1) + "_not_found");
				}
			}
		}
		assertThat(used).hasSizeGreaterThan(40).contains("stale_parent", "invalid_token", "too_many_streams",
				"project_not_found", "invalid_limit");
		assertThat(ProblemCatalog.codes().keySet()).containsAll(used);
	}

	@Test
	void docsListExactlyTheCatalog() throws IOException {
		String api = Files.readString(Path.of("docs/api.md"));
		String table = api.substring(api.indexOf("### Error codes"));
		table = table.substring(0, table.indexOf("\n### ", 1));
		Map<String, Set<Integer>> documented = new TreeMap<>();
		Matcher row = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| ([0-9, ]+) \\|").matcher(table);
		while (row.find()) {
			Set<Integer> statuses = Stream.of(row.group(2).split(",")).map(String::trim).map(Integer::valueOf)
				.collect(Collectors.toCollection(TreeSet::new));
			assertThat(documented.put(row.group(1), statuses)).as("listed once: " + row.group(1)).isNull();
		}
		Map<String, Set<Integer>> catalog = new TreeMap<>();
		ProblemCatalog.codes().forEach((code, statuses) -> catalog.put(code,
				statuses.stream().map(HttpStatus::value).collect(Collectors.toCollection(TreeSet::new))));
		assertThat(documented).isEqualTo(catalog);
	}

}
