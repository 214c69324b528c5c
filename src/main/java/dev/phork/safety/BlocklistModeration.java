package dev.phork.safety;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** The local default: a configurable list of refused words and phrases, matched as whole words. */
@Component
class BlocklistModeration implements Moderation {

	private final List<Pattern> patterns;

	BlocklistModeration(SafetySettings settings) {
		this.patterns = settings.blocklist()
			.stream()
			.map(String::strip)
			.filter(word -> !word.isEmpty())
			.map(word -> Pattern.compile("\\b" + Pattern.quote(word.toLowerCase(Locale.ROOT)) + "\\b"))
			.toList();
	}

	@Override
	public Optional<String> refusal(String text) {
		String lower = text.toLowerCase(Locale.ROOT);
		return patterns.stream()
			.filter(p -> p.matcher(lower).find())
			.findFirst()
			.map(p -> "the prompt contains a blocked term");
	}

}
