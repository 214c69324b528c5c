package dev.phork.generation;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the job engine gives a provider while it runs one attempt of a job.
 */
public interface GenerationContext {

	/** A private scratch folder for this attempt; the engine deletes it afterwards. */
	Path workDir();

	/**
	 * The provider's own job id recorded by an earlier attempt of the same job, if any. A remote
	 * provider that finds one resumes polling that job instead of starting (and paying for) another.
	 */
	Optional<String> providerJobId();

	/**
	 * Records the provider's job id durably, before the provider waits for the result, so that a
	 * retry after a crash resumes it.
	 */
	void providerJobStarted(String providerJobId);

	/** Reports progress between 0 and 1. */
	void progress(double fraction);

}
