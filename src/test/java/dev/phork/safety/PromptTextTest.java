package dev.phork.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The normal form blocked terms are matched in, without a server. */
class PromptTextTest {

	private final BlocklistModeration moderation = new BlocklistModeration(
			new SafetySettings(List.of("snuff film", "csam", "Beheading", "  "), Duration.ofDays(90)));

	@Test
	void foldsCaseWidthSpacingAndPunctuationToSingleSpaces() {
		assertThat(PromptText.of("  Ｓｎｕｆｆ\u00A0\u00A0FILM!\n\t— a  «test»  ").words()).isEqualTo("snuff film a test");
		assertThat(PromptText.of("snu\u00ADff\u200Bfilm").words()).isEqualTo("snu ff film");
		assertThat(PromptText.of("snu\u00ADff\u200Bfilm").joined()).isEqualTo("snufffilm");
		assertThat(PromptText.of("be-head.ing, café").joined()).isEqualTo("beheading cafe");
		assertThat(PromptText.of("STRASSE straße").words()).isEqualTo("strasse strasse");
		assertThat(PromptText.of(" \u200B-- ").isEmpty()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "a snuff film", "a snuff  film", "a snuff\u00A0film", "a snuff\u200Bfilm", "a snuff-film",
			"a snuff\nfilm", "a snu\u00ADff film", "a ｓｎｕｆｆ ｆｉｌｍ", "A SNUFF FILM.", "a s\u0301nuff film",
			"c\u200Bs\u200Ba\u200Bm", "c.s.a.m", "be-heading", "be\u00ADheading", "snuff\u2060film", "(csam)",
			"\uFEFFcsam", "ｃｓａｍ" })
	void everyDisguiseOfABlockedTermIsRefused(String prompt) {
		assertThat(moderation.refusal(prompt)).as(prompt).isPresent();
	}

	@ParameterizedTest
	@ValueSource(strings = { "a snuffbox on a table", "a film about snuff tobacco", "csamples of jazz",
			"the heading of the page", "", "   " })
	void wordsThatMerelyContainATermPass(String prompt) {
		assertThat(moderation.refusal(prompt)).as(prompt).isEmpty();
	}

}
