package dev.phork.storyboard;

import dev.phork.assets.AssetRecord;
import dev.phork.assets.AssetService;
import dev.phork.common.ProblemException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the analyzer saw in each reference picture, remembered by the blob's SHA-256, so that a
 * picture is decoded once however many times, and into however many projects or forks, it is
 * manifested (the analyzer is deterministic: the same bytes give the same subject).
 *
 * <p>Decoding is the slow part of manifesting, so it never runs inside a transaction: a request
 * that analyses holds no database connection and no row lock meanwhile, and other requests on the
 * same project go on. Callers analyse first and open their transaction afterwards; inside one, only
 * pictures already analysed may be asked for, and asking for another is a programming error. At most
 * half the processors (at least one) decode at once, so manifesting requests queue behind each
 * other instead of taking every core from the rest of the server.
 */
@Component
class ReferenceSubjects {

	private static final TypeReference<List<Double>> EMBEDDING = new TypeReference<>() {
	};

	private final ReferenceAnalyzer analyzer;

	private final AssetService assets;

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Semaphore decoders = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), true);

	ReferenceSubjects(ReferenceAnalyzer analyzer, AssetService assets, JdbcClient jdbc, JsonMapper json) {
		this.analyzer = analyzer;
		this.assets = assets;
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * The subject of the picture, from memory or by analysing it now.
	 *
	 * @throws dev.phork.media.ImageTooLarge if the picture declares more pixels than the limit
	 * @throws ProblemException {@code unreadable_reference} if it is not a picture the analyzer reads
	 * @throws IllegalStateException if it was not analysed yet and a transaction is open
	 */
	Subject of(AssetRecord asset) {
		Optional<Subject> known = remembered(asset.sha256());
		if (known.isPresent()) {
			return known.get();
		}
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException(
					"reference " + asset.id() + " must be analysed before the transaction that uses it opens");
		}
		Subject subject = analyse(asset);
		jdbc.sql("""
				INSERT INTO reference_subjects (sha256, kind, description, embedding)
				VALUES (:sha256, :kind, :description, CAST(:embedding AS jsonb))
				ON CONFLICT (sha256) DO NOTHING""")
			.param("sha256", asset.sha256())
			.param("kind", subject.kind())
			.param("description", subject.description())
			.param("embedding", json.writeValueAsString(subject.embedding()))
			.update();
		return subject;
	}

	private Optional<Subject> remembered(String sha256) {
		return jdbc.sql("SELECT kind, description, embedding FROM reference_subjects WHERE sha256 = :sha256")
			.param("sha256", sha256)
			.query((rs, n) -> new Subject(rs.getString("kind"), rs.getString("description"),
					json.readValue(rs.getString("embedding"), EMBEDDING)))
			.optional();
	}

	private Subject analyse(AssetRecord asset) {
		decoders.acquireUninterruptibly();
		try {
			return analyzer.analyze(assets.localFile(asset));
		}
		catch (IllegalArgumentException ex) {
			throw ProblemException.unprocessable("unreadable_reference", "Asset " + asset.id() + ": " + ex.getMessage());
		}
		finally {
			decoders.release();
		}
	}

}
