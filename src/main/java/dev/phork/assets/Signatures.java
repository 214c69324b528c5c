package dev.phork.assets;

import dev.phork.common.Hashes;
import dev.phork.common.SharedSecrets;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's signatures: mint receipts over what an asset is and where it came from, and
 * content URLs bound to an asset, a workspace and an expiry. Separate secrets, so leaking URLs'
 * secret never lets anyone forge a receipt. Comparisons are constant-time.
 */
@Component
class Signatures {

	private final byte[] mintSecret;

	private final byte[] urlSecret;

	private final JsonMapper json;

	Signatures(SharedSecrets secrets, AssetSettings settings, JsonMapper json) {
		this.mintSecret = secrets.get("mint", settings.mintSecret(), "PHORK_MINT_SECRET",
				"the receipts of the assets the database holds will not verify here, so commits refuse them (invalid_asset_reference)");
		this.urlSecret = secrets.get("url", settings.urlSecret(), "PHORK_URL_SECRET",
				"content URLs handed out by the others are refused here (invalid_signature)");
		this.json = json;
	}

	String receipt(UUID assetId, String sha256, UUID workspaceId, @Nullable UUID jobId, String provenanceHash) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(mintSecret,
				"mint|" + assetId + "|" + sha256 + "|" + workspaceId + "|" + (jobId == null ? "-" : jobId) + "|" + provenanceHash));
	}

	boolean receiptValid(AssetRecord asset) {
		String expected = receipt(asset.id(), asset.sha256(), asset.workspaceId(), asset.jobId(), asset.provenanceHash());
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				asset.mintReceipt().getBytes(StandardCharsets.US_ASCII));
	}

	String urlSignature(UUID assetId, UUID workspaceId, long expiresEpochSecond) {
		return HexFormat.of().formatHex(hmac(urlSecret, "asset-url|" + assetId + "|" + workspaceId + "|" + expiresEpochSecond));
	}

	boolean urlSignatureValid(UUID assetId, UUID workspaceId, long expiresEpochSecond, String signature) {
		byte[] expected = urlSignature(assetId, workspaceId, expiresEpochSecond).getBytes(StandardCharsets.US_ASCII);
		return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
	}

	/** SHA-256 of the provenance in a canonical form (keys sorted at every level). */
	String provenanceHash(Map<String, Object> provenance) {
		return Hashes.sha256Hex(json.writeValueAsBytes(canonical(provenance)));
	}

	private static Object canonical(Object value) {
		if (value instanceof Map<?, ?> map) {
			TreeMap<String, Object> sorted = new TreeMap<>();
			map.forEach((k, v) -> sorted.put(String.valueOf(k), v == null ? null : canonical(v)));
			return sorted;
		}
		if (value instanceof Iterable<?> list) {
			java.util.List<Object> out = new java.util.ArrayList<>();
			list.forEach(v -> out.add(v == null ? null : canonical(v)));
			return out;
		}
		return value;
	}

	private static byte[] hmac(byte[] secret, String message) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
