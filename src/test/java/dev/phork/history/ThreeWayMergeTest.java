package dev.phork.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** The merge rules alone, without a server: milliseconds per rule. */
class ThreeWayMergeTest {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final UUID A = UUID.randomUUID();

	static final UUID B = UUID.randomUUID();

	static final UUID C = UUID.randomUUID();

	static final UUID D = UUID.randomUUID();

	static final Timeline BASE = timeline(scene(A, "a"), scene(B, "b"), scene(C, "c"));

	@Test
	void aChangeOnOneSideApplies() {
		Timeline ours = timeline(scene(A, "a2"), scene(B, "b"), scene(C, "c"));
		Timeline theirs = timeline(scene(A, "a"), scene(B, "b"), scene(C, "c3"));
		assertThat(prompts(merged(BASE, ours, theirs, List.of()))).containsExactly("a2", "b", "c3");
	}

	@Test
	void theSameChangeOnBothSidesAppliesOnce() {
		Timeline both = timeline(scene(A, "same"), scene(B, "b"), scene(C, "c"));
		assertThat(prompts(merged(BASE, both, both, List.of()))).containsExactly("same", "b", "c");
	}

	@Test
	void differentChangesToOneFieldConflictAndAResolutionSettlesThem() {
		Timeline ours = timeline(scene(A, "ours"), scene(B, "b"), scene(C, "c"));
		Timeline theirs = timeline(scene(A, "theirs"), scene(B, "b"), scene(C, "c"));
		ThreeWayMerge.Result result = ThreeWayMerge.merge(JSON, BASE, ours, theirs, List.of());
		assertThat(result.clean()).isFalse();
		assertThat(result.conflicts()).extracting(ThreeWayMerge.Conflict::path).containsExactly("scenes." + A + ".prompt");
		String path = "scenes." + A + ".prompt";
		for (String take : List.of("ours", "theirs", "base")) {
			assertThat(prompts(merged(BASE, ours, theirs, List.of(new ThreeWayMerge.Resolution(path, take, null))))).first()
				.isEqualTo(take.equals("base") ? "a" : take);
		}
		assertThat(prompts(merged(BASE, ours, theirs,
				List.of(new ThreeWayMerge.Resolution(path, null, JsonNodeFactory.instance.stringNode("given")))))).first()
			.isEqualTo("given");
	}

	@Test
	void aResolutionOfAPathThatDoesNotConflictIsReported() {
		ThreeWayMerge.Result result = ThreeWayMerge.merge(JSON, BASE, BASE, BASE,
				List.of(new ThreeWayMerge.Resolution("scenes." + A + ".prompt", "ours", null)));
		assertThat(result.unusedResolutions()).containsExactly("scenes." + A + ".prompt");
	}

	@Test
	void insertsOnBothSidesKeepTheirPlaces() {
		Timeline ours = timeline(scene(A, "a"), scene(D, "d"), scene(B, "b"), scene(C, "c"));
		UUID e = UUID.randomUUID();
		Timeline theirs = timeline(scene(A, "a"), scene(B, "b"), scene(e, "e"), scene(C, "c"));
		assertThat(prompts(merged(BASE, ours, theirs, List.of()))).containsExactly("a", "d", "b", "e", "c");
	}

	@Test
	void aReorderOnOneSideAndAnEditOnTheOtherBothApply() {
		Timeline ours = timeline(scene(C, "c"), scene(A, "a"), scene(B, "b"));
		Timeline theirs = timeline(scene(A, "a"), scene(B, "b2"), scene(C, "c"));
		assertThat(prompts(merged(BASE, ours, theirs, List.of()))).containsExactly("c", "a", "b2");
	}

	@Test
	void differentReordersConflictAtOrderAndAnExplicitOrderMustListEveryScene() {
		Timeline ours = timeline(scene(C, "c"), scene(A, "a"), scene(B, "b"));
		Timeline theirs = timeline(scene(B, "b"), scene(A, "a"), scene(C, "c"));
		assertThat(ThreeWayMerge.merge(JSON, BASE, ours, theirs, List.of()).conflicts())
			.extracting(ThreeWayMerge.Conflict::path).containsExactly("order");
		assertThat(prompts(merged(BASE, ours, theirs, List.of(new ThreeWayMerge.Resolution("order", null,
				JSON.valueToTree(List.of(B, C, A))))))).containsExactly("b", "c", "a");
		assertThatThrownBy(() -> ThreeWayMerge.merge(JSON, BASE, ours, theirs,
				List.of(new ThreeWayMerge.Resolution("order", null, JSON.valueToTree(List.of(B, C))))))
			.isInstanceOf(ThreeWayMerge.InvalidResolution.class);
	}

	@Test
	void aDeletionAppliesUnlessTheOtherSideChangedTheScene() {
		Timeline deleted = timeline(scene(A, "a"), scene(C, "c"));
		assertThat(prompts(merged(BASE, BASE, deleted, List.of()))).containsExactly("a", "c");
		Timeline edited = timeline(scene(A, "a"), scene(B, "b2"), scene(C, "c"));
		assertThat(ThreeWayMerge.merge(JSON, BASE, edited, deleted, List.of()).conflicts())
			.extracting(ThreeWayMerge.Conflict::path).containsExactly("scenes." + B);
	}

	@Test
	void settingsMergeFieldByField() {
		Timeline ours = new Timeline(new StoryboardSettings("noir", null, null, null, null, null), null, BASE.scenes());
		Timeline theirs = new Timeline(new StoryboardSettings(null, null, null, null, 7L, null), null, BASE.scenes());
		var merged = merged(BASE, ours, theirs, List.of());
		assertThat(merged.settings().style()).isEqualTo("noir");
		assertThat(merged.settings().seed()).isEqualTo(7L);
	}

	private static Timeline merged(Timeline base, Timeline ours, Timeline theirs, List<ThreeWayMerge.Resolution> r) {
		ThreeWayMerge.Result result = ThreeWayMerge.merge(JSON, base, ours, theirs, r);
		assertThat(result.conflicts()).isEmpty();
		return JSON.treeToValue(result.timeline(), Timeline.class);
	}

	private static List<String> prompts(Timeline timeline) {
		List<String> prompts = new ArrayList<>();
		timeline.scenes().forEach(s -> prompts.add(s.prompt()));
		return prompts;
	}

	private static Scene scene(UUID id, String prompt) {
		return new Scene(id, prompt, null, null, null, null, null, null);
	}

	private static Timeline timeline(Scene... scenes) {
		return new Timeline(null, null, List.of(scenes));
	}

}
