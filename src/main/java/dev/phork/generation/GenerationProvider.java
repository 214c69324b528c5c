package dev.phork.generation;

/**
 * A source of generated media. Implementations throw {@link ProviderException} with
 * {@code transientFailure = true} for failures worth retrying (timeouts, 5xx, rate limits) and
 * {@code false} for failures that will not get better (bad input, a refused prompt).
 */
public interface GenerationProvider {

	/** A short stable name recorded in provenance, such as {@code local}. */
	String name();

	boolean supports(GenerationKind kind);

	GenerationOutput generate(GenerationInput input, GenerationContext context);

}
