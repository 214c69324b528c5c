package dev.phork.generation;

import dev.phork.common.ProblemException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * Picks the providers for a job. A job may name any registered provider; otherwise the configured
 * chain ({@code PHORK_PROVIDERS}, default {@code local}) is used in order, keeping those that
 * support the kind, and a transient failure of one falls back to the next.
 */
@Service
public class ProviderRegistry {

	/** @param chain provider names tried in order when a job names none */
	@ConfigurationProperties("phork.generation")
	record GenerationSettings(List<String> chain) {
	}

	private final List<GenerationProvider> providers;

	private final Map<String, GenerationProvider> byName;

	ProviderRegistry(List<GenerationProvider> registered, GenerationSettings settings) {
		this.byName = registered.stream().collect(Collectors.toMap(GenerationProvider::name, Function.identity()));
		this.providers = settings.chain().stream().map(name -> {
			GenerationProvider provider = byName.get(name);
			if (provider == null) {
				throw new IllegalStateException("PHORK_PROVIDERS names an unknown provider: " + name + "; known: "
						+ byName.keySet());
			}
			return provider;
		}).toList();
	}

	/** Checks a provider named in a request; answers the chain that will run. */
	public List<GenerationProvider> chain(GenerationKind kind, @Nullable String requested) {
		if (requested != null) {
			GenerationProvider provider = byName.get(requested);
			if (provider == null || !provider.supports(kind)) {
				throw ProblemException.badRequest("unknown_provider",
						"Provider '" + requested + "' does not exist or cannot make " + kind.name().toLowerCase() + ".");
			}
			return List.of(provider);
		}
		List<GenerationProvider> chain = providers.stream().filter(p -> p.supports(kind)).toList();
		if (chain.isEmpty()) {
			throw ProblemException.badRequest("no_provider", "No provider can make " + kind.name().toLowerCase() + ".");
		}
		return chain;
	}

	/**
	 * Runs the chain: the first provider's result, or the next provider's after a transient failure.
	 * The last failure is rethrown when every provider failed.
	 */
	public GenerationOutput generate(List<GenerationProvider> chain, GenerationInput input, GenerationContext context) {
		ProviderException last = null;
		for (GenerationProvider provider : chain) {
			try {
				return provider.generate(input, context);
			}
			catch (ProviderException ex) {
				last = ex;
				if (!ex.isTransient()) {
					throw ex;
				}
			}
		}
		throw last != null ? last : new ProviderException("no provider ran", false);
	}

}
