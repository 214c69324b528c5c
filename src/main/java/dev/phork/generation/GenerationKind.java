package dev.phork.generation;

/** What a provider is asked to make. */
public enum GenerationKind {

	/** A still PNG from a prompt. */
	IMAGE,
	/** An H.264 + AAC MP4 clip from a prompt. */
	VIDEO,
	/** An H.264 + AAC MP4 clip that moves over a given image. */
	ANIMATE,
	/** An AAC audio track (in an M4A container) from a text. */
	AUDIO

}
