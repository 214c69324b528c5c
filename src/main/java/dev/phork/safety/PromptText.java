package dev.phork.safety;

import java.text.Normalizer;
import java.util.Locale;

/**
 * A text brought to the one form that blocked terms are compared in, so that text that reads the
 * same is screened the same however it is typed. Blocked terms go through the same steps.
 *
 * <ol>
 * <li>Compatibility decomposition (the K of NFKC): fullwidth letters become plain ones, ligatures
 * their letters, a no-break space a space.</li>
 * <li>Case is folded (upper then lower case, so that for example {@code ß} and {@code SS} meet).</li>
 * <li>Non-spacing marks are dropped, so that accents typed over a word do not hide it.</li>
 * <li>Every run of whitespace, punctuation, symbols, format characters (zero-width space and
 * joiners, soft hyphen, word joiner, byte-order mark, direction marks) and control characters
 * between two words becomes one space; the result is composed again (NFKC).</li>
 * </ol>
 *
 * <p>Terms are still matched as whole words, now on the single spaces of this form. Invisible and
 * punctuation characters may stand between words or inside one, so a second form ({@link #joined})
 * strips them (whitespace still separates words), and {@code be-heading}, {@code c.s.a.m} and a
 * zero-width space or soft hyphen inside a word are seen as the word they spell; a term matches if
 * it is found in either form.
 *
 * @param words the words of the text separated by single spaces
 * @param joined the same, with punctuation, symbols, format and control characters removed where
 * they stood between two letters
 */
record PromptText(String words, String joined) {

	static PromptText of(String text) {
		return new PromptText(normalise(text, false), normalise(text, true));
	}

	boolean isEmpty() {
		return words.isEmpty();
	}

	/** Whether the term's words occur here as whole words, in either form. */
	boolean contains(PromptText term) {
		return padded(words).contains(padded(term.words())) || padded(joined).contains(padded(term.joined()));
	}

	private static String padded(String text) {
		return " " + text + " ";
	}

	private static String normalise(String text, boolean joinWords) {
		String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
		String folded = Normalizer.normalize(decomposed.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT),
				Normalizer.Form.NFKD);
		StringBuilder out = new StringBuilder(folded.length());
		boolean space = false;
		boolean punctuation = false;
		for (int i = 0; i < folded.length();) {
			int c = folded.codePointAt(i);
			i += Character.charCount(c);
			if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
				space = true;
			}
			else if (isMark(c)) {
				continue;
			}
			else if (Character.isLetterOrDigit(c) || Character.getType(c) == Character.COMBINING_SPACING_MARK) {
				if (!out.isEmpty() && (space || punctuation && !joinWords)) {
					out.append(' ');
				}
				space = false;
				punctuation = false;
				out.appendCodePoint(c);
			}
			else {
				punctuation = true;
			}
		}
		return Normalizer.normalize(out, Normalizer.Form.NFKC);
	}

	/**
	 * Marks over a letter that do not make a word of their own: accents once decomposed, variation
	 * selectors, the combining grapheme joiner, enclosing circles, and the Hangul fillers.
	 */
	private static boolean isMark(int c) {
		int type = Character.getType(c);
		return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || c == 0x115F || c == 0x1160
				|| c == 0x3164 || c == 0xFFA0;
	}

}
