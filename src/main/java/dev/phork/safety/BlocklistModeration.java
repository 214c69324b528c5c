package dev.phork.safety;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The local default: a configurable list of refused words and phrases, matched as whole words once
 * both the text and the terms are brought to one form ({@link PromptText}), so that spacing,
 * invisible characters, hyphens, case and fullwidth letters do not slip a term past.
 */
@Component
class BlocklistModeration implements Moderation {

	private final List<PromptText> terms;

	BlocklistModeration(SafetySettings settings) {
		this.terms = settings.blocklist().stream().map(PromptText::of).filter(term -> !term.isEmpty()).toList();
	}

	@Override
	public Optional<String> refusal(String text) {
		PromptText prompt = PromptText.of(text);
		return terms.stream()
			.filter(prompt::contains)
			.findFirst()
			.map(term -> "the prompt contains a blocked term");
	}

}
