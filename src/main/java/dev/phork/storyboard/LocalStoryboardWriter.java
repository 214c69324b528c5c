package dev.phork.storyboard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The built-in writer: plain rules instead of a language model, so that storyboards work offline and
 * the same text always gives the same scenes.
 *
 * <p>The text is cut into sentences at {@code .}, {@code !}, {@code ?} and line breaks; pieces
 * without a letter or digit are dropped. Without a scene count every sentence is a scene. With one,
 * sentences are shared out evenly: surplus sentences are merged with their neighbours, and when
 * scenes outnumber sentences each sentence is held for several scenes (the earlier ones first), its
 * repeats continued with beats ({@code closer}, {@code wider}, ...) that the framing rules then pick
 * up.
 *
 * <p>A scene is tagged with every registry entry whose name it mentions as a whole word, ignoring
 * case, so that "Anna" is found in "anna's" but not in "Annabel". The framing follows the first rule
 * that applies: the first scene establishes (wide, static); faces, eyes and "close" ask for a static
 * close-up; running and chasing for a medium tracking shot; landscapes and crowds for a wide shot;
 * otherwise scenes alternate medium and wide. The movement of the last two is picked by the text's
 * {@link String#hashCode()}, which Java specifies, so it never changes between runs. Durations grow
 * with the prompt at a reading pace: 3 s plus 150 ms a word, at most 6 s (4.5 s for ten words).
 */
@Component
class LocalStoryboardWriter implements StoryboardWriter {

	/** A run of text and the end marks after it. */
	private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]+[.!?]*");

	private static final Pattern LETTER_OR_DIGIT = Pattern.compile("[\\p{L}\\p{N}]");

	private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[.!?]+$");

	private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

	private static final List<String> BEATS = List.of("closer", "wider", "from another angle", "moments later");

	private static final Set<String> CLOSE_WORDS = Set.of("face", "faces", "eye", "eyes", "close", "closer", "closeup",
			"lips", "tears", "smile", "smiles", "whispers");

	private static final Set<String> MOTION_WORDS = Set.of("run", "runs", "running", "ran", "chase", "chases",
			"chasing", "chased", "race", "races", "racing", "flee", "flees", "fleeing", "sprint", "sprints", "follows",
			"pursues", "drives", "rides");

	private static final Set<String> WIDE_WORDS = Set.of("wide", "wider", "landscape", "horizon", "skyline", "city",
			"crowd", "valley", "ocean", "desert", "panorama");

	private static final List<String> MOVEMENTS = List.of("pan", "dolly", "static");

	private static final int BASE_MS = 3000;

	private static final int MS_PER_WORD = 150;

	private static final int MAX_MS = 6000;

	@Override
	public List<DraftScene> write(String text, int sceneCount, List<EntryRef> registry) {
		if (sceneCount < 0 || sceneCount > MAX_SCENES) {
			throw new IllegalArgumentException("sceneCount must be 0 to " + MAX_SCENES + ", got " + sceneCount);
		}
		List<String> sentences = sentences(text);
		if (sentences.isEmpty()) {
			throw new IllegalArgumentException("the text holds no sentence to storyboard");
		}
		int scenes = sceneCount > 0 ? sceneCount : Math.min(sentences.size(), MAX_SCENES);
		List<NamePattern> names = registry.stream()
			.filter(entry -> !entry.name().isBlank())
			.map(entry -> new NamePattern(entry.tag(), wholeWord(entry.name())))
			.toList();
		List<DraftScene> drafts = new ArrayList<>(scenes);
		int previousFrom = -1;
		int repeats = 0;
		for (int index = 0; index < scenes; index++) {
			int from = share(index, sentences.size(), scenes);
			int to = Math.max(from + 1, share(index + 1, sentences.size(), scenes));
			repeats = from == previousFrom ? repeats + 1 : 0;
			previousFrom = from;
			String sentence = String.join(" ", sentences.subList(from, to));
			String prompt = repeats == 0 ? sentence : continued(sentence, repeats);
			drafts.add(new DraftScene(prompt, tags(prompt, names), composition(prompt, index), durationMs(prompt)));
		}
		return drafts;
	}

	private static List<String> sentences(String text) {
		List<String> sentences = new ArrayList<>();
		Matcher matcher = SENTENCE.matcher(text);
		while (matcher.find()) {
			String sentence = matcher.group().strip();
			if (LETTER_OR_DIGIT.matcher(sentence).find()) {
				sentences.add(sentence);
			}
		}
		return sentences;
	}

	/** The {@code repeat}th continuation of a sentence held over several scenes. */
	private static String continued(String sentence, int repeat) {
		return TRAILING_PUNCTUATION.matcher(sentence).replaceAll("") + " — continued, "
				+ BEATS.get((repeat - 1) % BEATS.size());
	}

	/** The first of the {@code total} sentences that scene {@code index} of {@code scenes} covers. */
	private static int share(int index, int total, int scenes) {
		return (int) ((long) index * total / scenes);
	}

	private static Pattern wholeWord(String name) {
		return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(name.strip()) + "(?![\\p{L}\\p{N}])",
				Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
	}

	private static List<String> tags(String prompt, List<NamePattern> names) {
		Set<String> tags = new LinkedHashSet<>();
		for (NamePattern name : names) {
			if (name.pattern().matcher(prompt).find()) {
				tags.add(name.tag());
			}
		}
		return List.copyOf(tags);
	}

	private static Composition composition(String prompt, int index) {
		if (index == 0) {
			return new Composition("wide", "static");
		}
		List<String> words = words(prompt);
		String movement = MOVEMENTS.get(Math.floorMod(prompt.hashCode(), MOVEMENTS.size()));
		if (containsAny(words, CLOSE_WORDS)) {
			return new Composition("close-up", "static");
		}
		if (containsAny(words, MOTION_WORDS)) {
			return new Composition("medium", "tracking");
		}
		if (containsAny(words, WIDE_WORDS)) {
			return new Composition("wide", movement);
		}
		return new Composition(index % 2 == 1 ? "medium" : "wide", movement);
	}

	private static int durationMs(String prompt) {
		return Math.min(MAX_MS, BASE_MS + MS_PER_WORD * words(prompt).size());
	}

	private static List<String> words(String prompt) {
		List<String> words = new ArrayList<>();
		for (String word : NON_WORD.split(prompt.toLowerCase(Locale.ROOT))) {
			if (!word.isEmpty()) {
				words.add(word);
			}
		}
		return words;
	}

	private static boolean containsAny(List<String> words, Set<String> keywords) {
		return words.stream().anyMatch(keywords::contains);
	}

	private record NamePattern(String tag, Pattern pattern) {
	}

}
