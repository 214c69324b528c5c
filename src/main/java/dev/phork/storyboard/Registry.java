package dev.phork.storyboard;

import dev.phork.assets.AssetRecord;
import dev.phork.assets.AssetService;
import dev.phork.assets.AssetType;
import dev.phork.common.ProblemException;
import dev.phork.history.ProjectService;
import dev.phork.history.ProjectView;
import dev.phork.history.RegistryEntry;
import dev.phork.history.Timeline;
import dev.phork.identity.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The registry's rules: tags continue each kind's sequence across every entry the storyboard has
 * (inherited ones included: seed 004's pitfall 3), and manifesting a reference upload first looks
 * for an existing entry with the same subject (embedding similarity) and links to it instead of
 * adding a duplicate.
 */
@Component
class Registry {

	private static final Pattern NUMBER = Pattern.compile("_(\\d+)$");

	private final AssetService assets;

	private final ProjectService projects;

	Registry(AssetService assets, ProjectService projects) {
		this.assets = assets;
		this.projects = projects;
	}

	/** The result of manifesting one upload: a new entry, or the existing one it matched. */
	record Manifested(UUID assetId, RegistryEntry entry, boolean linked, double similarity) {
	}

	/** The next free tag of a kind, after the highest number any entry of that kind has. */
	static String nextTag(List<RegistryEntry> entries, String kind) {
		String prefix = RegistryEntry.prefix(kind);
		int max = 0;
		for (RegistryEntry entry : entries) {
			if (entry.tag().startsWith(prefix + "_")) {
				Matcher m = NUMBER.matcher(entry.tag());
				if (m.find()) {
					max = Math.max(max, Integer.parseInt(m.group(1)));
				}
			}
		}
		return "%s_%02d".formatted(prefix, max + 1);
	}

	/**
	 * A reference image the caller may use in the project, checked before it enters the registry;
	 * any other is not found, whether or not it exists.
	 */
	AssetRecord reference(Caller caller, ProjectView project, UUID assetId) {
		AssetRecord asset = assets.find(assetId)
			.filter(a -> projects.mayUse(caller, project, a) && assets.receiptValid(a))
			.orElseThrow(() -> ProblemException.notFound("asset", assetId));
		if (!isImage(asset)) {
			throw ProblemException.unprocessable("not_an_image", "Asset " + assetId + " is not an image.");
		}
		return asset;
	}

	/** The image, if it exists, passes {@code mayUse} and its receipt verifies. */
	Optional<AssetRecord> referenceIfUsable(UUID assetId, Predicate<AssetRecord> mayUse) {
		return assets.find(assetId).filter(a -> isImage(a) && mayUse.test(a) && assets.receiptValid(a));
	}

	private static boolean isImage(AssetRecord asset) {
		return asset.type() == AssetType.UPLOAD || asset.type() == AssetType.IMAGE;
	}

	/** A reference picture the project may use, with what the analyzer saw in it. */
	record Analysed(AssetRecord asset, Subject subject) {
	}

	/**
	 * Manifests analysed uploads into the registry: one that matches an entry already there is
	 * linked to that entry's tag (the entry itself is unchanged, so nothing goes stale); the others
	 * get new tags continuing the sequence. Only compares vectors: the pictures were analysed before.
	 */
	static List<Manifested> manifest(List<RegistryEntry> registry, List<Analysed> uploads) {
		List<RegistryEntry> entries = new ArrayList<>(registry);
		List<Manifested> results = new ArrayList<>();
		for (Analysed upload : uploads) {
			AssetRecord asset = upload.asset();
			Subject subject = upload.subject();
			RegistryEntry best = null;
			double bestScore = 0;
			for (RegistryEntry entry : entries) {
				double score = entry.embedding() == null ? 0 : Embeddings.cosine(entry.embedding(), subject.embedding());
				if (score > bestScore) {
					best = entry;
					bestScore = score;
				}
			}
			if (best != null && bestScore >= Embeddings.SAME_SUBJECT) {
				results.add(new Manifested(asset.id(), best, true, bestScore));
				continue;
			}
			String tag = nextTag(entries, subject.kind());
			RegistryEntry entry = new RegistryEntry(tag, subject.kind(), name(asset, subject.kind(), tag),
					subject.description(), asset.id(), subject.embedding());
			entries.add(entry);
			results.add(new Manifested(asset.id(), entry, false, bestScore));
		}
		return results;
	}

	static Timeline withEntries(Timeline storyboard, List<RegistryEntry> entries) {
		return new Timeline(storyboard.settings(), entries, storyboard.scenes());
	}

	private static String name(AssetRecord asset, String kind, String tag) {
		@Nullable String label = asset.name();
		if (label != null && !label.isBlank()) {
			String base = label.replaceFirst("\\.[A-Za-z0-9]{2,5}$", "").strip();
			if (!base.isEmpty()) {
				return base.length() <= 100 ? base : base.substring(0, 100);
			}
		}
		return Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + " " + tag.substring(tag.indexOf('_') + 1);
	}

}
