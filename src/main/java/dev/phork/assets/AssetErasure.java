package dev.phork.assets;

import dev.phork.safety.UserDataErased;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Removes a user's prompt text from the provenance of the assets they made. Runs after
 * {@code JobErasure} (which has the highest precedence) has canceled their unfinished jobs, so no
 * asset minted during the erasure escapes it.
 */
@Component
class AssetErasure {

	private final AssetService assets;

	AssetErasure(AssetService assets) {
		this.assets = assets;
	}

	@EventListener
	void on(UserDataErased event) {
		event.report("assetProvenance", assets.erasePrompts(event.userId(), UserDataErased.TEXT_KEYS));
	}

}
