package dev.phork.storyboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LocalStoryboardWriterTest {

	private static final String SCRIPT = """
			The city wakes under grey rain. Anna runs for the last tram!
			Does Annabel see her?
			Tears on Anna's face.
			""";

	private static final List<EntryRef> REGISTRY = List.of(new EntryRef("@annabel", "Annabel"),
			new EntryRef("@anna", "Anna"), new EntryRef("@tram", "last tram"));

	private final LocalStoryboardWriter writer = new LocalStoryboardWriter();

	@Test
	void everySentenceIsASceneWithoutACount() {
		List<DraftScene> scenes = writer.write(SCRIPT, 0, List.of());

		assertThat(scenes).extracting(DraftScene::prompt)
			.containsExactly("The city wakes under grey rain.", "Anna runs for the last tram!", "Does Annabel see her?",
					"Tears on Anna's face.");
	}

	@Test
	void sentencesEndAtPunctuationAndLineBreaksAndBlanksAreDropped() {
		List<DraftScene> scenes = writer.write("  Dawn... \n\n A lighthouse\nwaves?! \n . ", 0, List.of());

		assertThat(scenes).extracting(DraftScene::prompt).containsExactly("Dawn...", "A lighthouse", "waves?!");
	}

	@Test
	void withoutACountTheScenesAreCapped() {
		String text = IntStream.range(0, 250).mapToObj(i -> "Beat " + i + ".").collect(Collectors.joining(" "));

		assertThat(writer.write(text, 0, List.of())).hasSize(StoryboardWriter.MAX_SCENES);
	}

	@Test
	void surplusSentencesAreMergedEvenly() {
		List<DraftScene> scenes = writer.write("One. Two. Three. Four. Five.", 2, List.of());

		assertThat(scenes).extracting(DraftScene::prompt).containsExactly("One. Two.", "Three. Four. Five.");
	}

	@Test
	void scarceSentencesAreHeldWithBeats() {
		List<DraftScene> scenes = writer.write("A fox wakes. It hunts!", 7, List.of());

		assertThat(scenes).extracting(DraftScene::prompt)
			.containsExactly("A fox wakes.", "A fox wakes — continued, closer", "A fox wakes — continued, wider",
					"A fox wakes — continued, from another angle", "It hunts!", "It hunts — continued, closer",
					"It hunts — continued, wider");
	}

	@Test
	void exactlyTheAskedNumberOfScenes() {
		for (int count : List.of(1, 3, 4, 5, 17, StoryboardWriter.MAX_SCENES)) {
			assertThat(writer.write(SCRIPT, count, List.of())).as("%d scenes", count).hasSize(count);
		}
	}

	@Test
	void scenesAreTaggedByWholeNamesIgnoringCase() {
		List<DraftScene> scenes = writer.write(SCRIPT + " ANNA and annabel board the Last Tram.", 0, REGISTRY);

		assertThat(scenes).extracting(DraftScene::assetTags)
			.containsExactly(List.of(), List.of("@anna", "@tram"), List.of("@annabel"), List.of("@anna"),
					List.of("@annabel", "@anna", "@tram"));
	}

	@Test
	void aTagIsListedOnceAndBlankNamesMatchNothing() {
		List<EntryRef> registry = List.of(new EntryRef("@anna", "Anna"), new EntryRef("@anna", "Anna Berg"),
				new EntryRef("@nobody", " "));

		assertThat(writer.write("Anna Berg waits.", 0, registry).getFirst().assetTags()).containsExactly("@anna");
	}

	@Test
	void compositionFollowsTheRules() {
		List<DraftScene> scenes = writer.write("""
				Eyes open in the dark.
				A face fills the frame.
				She runs down the hall.
				The city skyline glows.
				Nothing happens.
				Nothing happens again.
				""", 0, List.of());

		assertThat(scenes).extracting(scene -> scene.composition().shotType())
			.containsExactly("wide", "close-up", "medium", "wide", "wide", "medium");
		assertThat(scenes.getFirst().composition()).isEqualTo(new Composition("wide", "static"));
		assertThat(scenes.get(1).composition().cameraMovement()).isEqualTo("static");
		assertThat(scenes.get(2).composition().cameraMovement()).isEqualTo("tracking");
		assertThat(scenes.subList(3, 6)).extracting(scene -> scene.composition().cameraMovement())
			.allSatisfy(movement -> assertThat(movement).isIn("pan", "dolly", "static"));
	}

	@Test
	void beatsAreFramedByTheirWords() {
		List<DraftScene> scenes = writer.write("A quiet harbour.", 3, List.of());

		assertThat(scenes).extracting(DraftScene::composition)
			.extracting(Composition::shotType)
			.containsExactly("wide", "close-up", "wide");
	}

	@Test
	void durationGrowsWithThePromptBetweenThreeAndSixSeconds() {
		List<DraftScene> scenes = writer.write("""
				Go.
				One two three four five six seven eight nine ten.
				%s
				""".formatted("word ".repeat(40)), 0, List.of());

		assertThat(scenes).extracting(DraftScene::durationMs).containsExactly(3150, 4500, 6000);
	}

	@Test
	void sameTextGivesTheSameStoryboard() {
		assertThat(writer.write(SCRIPT, 9, REGISTRY)).isEqualTo(writer.write(SCRIPT, 9, REGISTRY));
	}

	@Test
	void refusesATextWithoutSentencesAndCountsOutOfRange() {
		assertThatThrownBy(() -> writer.write(" .\n!? ", 0, List.of())).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> writer.write(SCRIPT, -1, List.of())).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> writer.write(SCRIPT, StoryboardWriter.MAX_SCENES + 1, List.of()))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
