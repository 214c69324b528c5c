package dev.phork.storyboard;

import java.util.List;

/**
 * Comparing {@link Subject#embedding() embeddings}.
 */
public final class Embeddings {

	/**
	 * The cosine above which a new upload is taken to be the same subject as an existing entry. The
	 * local analyzer gives the same picture, resized or re-encoded, 0.97 and more, and different
	 * pictures well under this.
	 */
	public static final double SAME_SUBJECT = 0.95;

	private Embeddings() {
	}

	/** The cosine similarity of two vectors; 0 if either is empty or zero or their sizes differ. */
	public static double cosine(List<Double> a, List<Double> b) {
		if (a.isEmpty() || a.size() != b.size()) {
			return 0;
		}
		double dot = 0;
		double normA = 0;
		double normB = 0;
		for (int i = 0; i < a.size(); i++) {
			double x = a.get(i);
			double y = b.get(i);
			dot += x * y;
			normA += x * x;
			normB += y * y;
		}
		return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
	}

}
