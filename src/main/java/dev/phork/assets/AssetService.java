package dev.phork.assets;

import dev.phork.common.GroupCommit;
import dev.phork.common.Ids;
import dev.phork.common.ProblemException;
import dev.phork.identity.Caller;
import dev.phork.identity.Role;
import dev.phork.identity.WorkspaceAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Minting and reading assets. Bytes are stored first ({@link #store}), outside any business
 * transaction; the asset row is then minted inside the transaction that completes the work (a job,
 * an upload), so an asset exists exactly when its work succeeded. Bytes whose transaction rolled
 * back are left unreferenced and swept later.
 */
@Service
public class AssetService {

	private final Assets assets;

	private final BlobStore blobs;

	private final Signatures signatures;

	private final WorkspaceAccess access;

	private final AssetSettings settings;

	private final Clock clock = Clock.systemUTC();

	private final GroupCommit<Blob, Blob> touches = new GroupCommit<>(this::touchAll);

	AssetService(Assets assets, BlobStore blobs, Signatures signatures, WorkspaceAccess access, AssetSettings settings) {
		this.assets = assets;
		this.blobs = blobs;
		this.signatures = signatures;
		this.access = access;
		this.settings = settings;
	}

	/**
	 * Moves a file into the blob store (it is gone afterwards) and registers the blob. Blobs stored
	 * at the same time (workers finishing together) are registered together in one statement.
	 */
	@Transactional(propagation = Propagation.NOT_SUPPORTED)
	public Blob store(Path file) {
		try {
			BlobStore.StoredBlob stored = blobs.take(file);
			Blob blob = new Blob(stored.sha256(), stored.sizeBytes());
			touches.submit(blob);
			return blob;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot store blob", ex);
		}
	}

	private List<Blob> touchAll(List<Blob> batch) {
		assets.touchBlobs(batch);
		return batch;
	}

	/** Mints the asset: an immutable row with provenance and the platform's receipt over both. */
	@Transactional(propagation = Propagation.MANDATORY)
	public AssetRecord mint(MintCommand command) {
		return mintAll(List.of(command)).getFirst();
	}

	/** Mints several assets in one statement, in the caller's transaction; answers them in order. */
	@Transactional(propagation = Propagation.MANDATORY)
	public List<AssetRecord> mintAll(List<MintCommand> commands) {
		List<AssetRecord> records = commands.stream().map(this::record).toList();
		assets.insertAll(records);
		return records;
	}

	private AssetRecord record(MintCommand command) {
		UUID id = Ids.newId();
		String provenanceHash = signatures.provenanceHash(command.provenance());
		String receipt = signatures.receipt(id, command.blob().sha256(), command.workspaceId(), command.jobId(),
				provenanceHash);
		return new AssetRecord(id, command.workspaceId(), command.type(), command.mimeType(),
				command.blob().sizeBytes(), command.blob().sha256(), command.durationMs(), command.provider(),
				command.model(), command.cost(), command.jobId(), command.name(), command.provenance(), provenanceHash,
				receipt, command.createdBy(), clock.instant());
	}

	public Optional<AssetRecord> find(UUID id) {
		return assets.find(id);
	}

	public List<AssetRecord> findAll(List<UUID> ids) {
		return assets.findAll(ids);
	}

	/** Whether the receipt is the platform's signature over this row as minted. */
	public boolean receiptValid(AssetRecord asset) {
		return signatures.receiptValid(asset);
	}

	/** A file holding the asset's bytes, for FFmpeg. */
	public Path localFile(AssetRecord asset) {
		try {
			return blobs.localFile(asset.sha256());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The asset, for a member of its workspace; others are told it does not exist. */
	public AssetView get(Caller caller, UUID assetId) {
		AssetRecord asset = assets.find(assetId).orElseThrow(() -> ProblemException.notFound("asset", assetId));
		if (!access.isMember(caller, asset.workspaceId())) {
			throw ProblemException.notFound("asset", assetId);
		}
		return view(asset, asset.workspaceId());
	}

	/**
	 * The client's view of an asset with a content URL signed for {@code viaWorkspace}: the workspace
	 * through which the caller was allowed to read it (its own, or a fork's that inherited it).
	 */
	public AssetView view(AssetRecord asset, UUID viaWorkspace) {
		Instant expires = clock.instant().plus(settings.urlTtl());
		long epoch = expires.getEpochSecond();
		String url = "/assets/" + asset.id() + "/content?w=" + viaWorkspace + "&expires=" + epoch + "&sig="
				+ signatures.urlSignature(asset.id(), viaWorkspace, epoch);
		return new AssetView(asset.id(), asset.workspaceId(), asset.type(), asset.mimeType(), asset.sizeBytes(),
				asset.sha256(), asset.durationMs(), asset.provider(), asset.model(), asset.cost(), asset.jobId(), asset.name(),
				asset.provenance(), asset.mintReceipt(), url, Instant.ofEpochSecond(epoch), asset.createdAt());
	}

	/** Checks a content URL: untampered, unexpired, for this asset and workspace. Otherwise 403. */
	AssetRecord verifiedForContent(UUID assetId, UUID workspaceId, long expires, String signature) {
		if (!signatures.urlSignatureValid(assetId, workspaceId, expires, signature)) {
			throw new ProblemException(HttpStatus.FORBIDDEN, "invalid_signature", "The content URL is not valid.");
		}
		if (clock.instant().getEpochSecond() > expires) {
			throw new ProblemException(HttpStatus.FORBIDDEN, "url_expired",
					"The content URL has expired; read the asset again for a fresh one.");
		}
		return assets.find(assetId).orElseThrow(() -> ProblemException.notFound("asset", assetId));
	}

	/** Whether a member of the workspace may add uploads there. */
	void requireUploader(Caller caller, UUID workspaceId) {
		access.require(caller, workspaceId, Role.EDITOR);
	}

	/** Erases the user's text (the given keys, at any depth) from the provenance of the assets they made. */
	@Transactional(propagation = Propagation.MANDATORY)
	public int erasePrompts(UUID userId, List<String> keys) {
		return assets.erasePrompts(userId, keys);
	}

}
