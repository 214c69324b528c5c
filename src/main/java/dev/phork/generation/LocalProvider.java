package dev.phork.generation;

import dev.phork.media.Ffmpeg;
import dev.phork.media.ImageSettings;
import dev.phork.media.ImageSize;
import dev.phork.media.ImageTooLarge;
import dev.phork.media.MediaEncoding;
import dev.phork.media.MediaException;
import dev.phork.media.MediaFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The built-in provider: real media made offline by FFmpeg from its own sources (gradients, tones),
 * so that the whole product works, and is tested, without an account anywhere.
 *
 * <p>Every choice (colours, gradient shape, camera move, tones, melody) is read from the SHA-256 of
 * prompt and seed, and every encoding is bit-exact, so the same input gives the same bytes. Clips
 * are made directly in {@link MediaFormat} with {@link MediaEncoding}, so that renders join them by
 * stream copy.
 */
@Component
public class LocalProvider implements GenerationProvider {

	private static final String NAME = "local";

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	private static final int MIN_IMAGE_SIDE = 64;

	private static final int MAX_IMAGE_SIDE = 2048;

	private static final String CLIP_SIZE = MediaFormat.WIDTH + "x" + MediaFormat.HEIGHT;

	/** Two octaves of a major pentatonic scale, in semitones: any sequence of these sounds tuneful. */
	private static final int[] PENTATONIC = { 0, 2, 4, 7, 9, 12, 14, 16, 19, 21 };

	private static final int MELODY_NOTES = 8;

	private final Ffmpeg ffmpeg;

	private final ImageSettings images;

	public LocalProvider(Ffmpeg ffmpeg, ImageSettings images) {
		this.ffmpeg = ffmpeg;
		this.images = images;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public boolean supports(GenerationKind kind) {
		return true;
	}

	@Override
	public GenerationOutput generate(GenerationInput input, GenerationContext context) {
		context.progress(0);
		Fingerprint print = Fingerprint.of(input.prompt(), input.seed());
		Path workDir = context.workDir();
		try {
			GenerationOutput output = switch (input.kind()) {
				case IMAGE -> image(input, print, workDir.resolve("image.png"));
				case VIDEO -> video(input, print, workDir.resolve("video.mp4"));
				case ANIMATE -> animation(input, print, workDir.resolve("animation.mp4"));
				case AUDIO -> audio(input, print, workDir.resolve("audio.m4a"));
			};
			context.progress(1);
			return output;
		}
		catch (MediaException ex) {
			throw new ProviderException(ex.getMessage(), ex.isTransient(), ex);
		}
	}

	private GenerationOutput image(GenerationInput input, Fingerprint print, Path file) {
		int width = Math.clamp(input.width(), MIN_IMAGE_SIDE, MAX_IMAGE_SIDE);
		int height = Math.clamp(input.height(), MIN_IMAGE_SIDE, MAX_IMAGE_SIDE);
		ffmpeg.run(args(List.of("-f", "lavfi", "-i", gradients(print, width + "x" + height), "-frames:v", "1",
				"-update", "1", "-c:v", "png", "-flags:v", "+bitexact", "-fflags", "+bitexact", "-map_metadata", "-1"),
				output(file)), TIMEOUT);
		return new GenerationOutput(file, "image/png", null, NAME, "local-image-v1");
	}

	private GenerationOutput video(GenerationInput input, Fingerprint print, Path file) {
		long durationMs = MediaEncoding.frameAligned(requireDuration(input));
		ffmpeg.run(args(List.of("-f", "lavfi", "-i", gradients(print, CLIP_SIZE), "-f", "lavfi", "-i", toneBed(print),
				"-map", "0:v", "-map", "1:a"), clip(durationMs), output(file)), TIMEOUT);
		return timed(file, "video/mp4", "local-video-v1");
	}

	private GenerationOutput animation(GenerationInput input, Fingerprint print, Path file) {
		Path source = input.sourceImage();
		if (source == null) {
			throw new ProviderException("animate needs a source image", false);
		}
		if (!Files.isRegularFile(source) || !Files.isReadable(source)) {
			throw new ProviderException("the source image " + source.getFileName() + " cannot be read", false);
		}
		requireDecodable(source);
		long durationMs = MediaEncoding.frameAligned(requireDuration(input));
		ffmpeg.run(args(List.of("-max_pixels", images.ffmpegMaxPixels(), "-i", source.toAbsolutePath().toString(), "-f", "lavfi", "-i", toneBed(print),
				"-filter_complex", cameraMove(print, durationMs, input.width(), input.height()), "-map", "[v]", "-map", "1:a"), clip(durationMs),
				output(file)), TIMEOUT);
		return timed(file, "video/mp4", "local-animate-v1");
	}

	/**
	 * Measures the source by its header before FFmpeg sees it: FFmpeg (ffprobe too) allocates the
	 * whole picture before decoding it, 800 MB for a 126-byte PNG declaring 16000x16000. FFmpeg also
	 * gets the limit as {@code -max_pixels}, for a WebP whose frame is larger than its header says.
	 */
	private void requireDecodable(Path source) {
		ImageSize size = ImageSize.read(source)
			.orElseThrow(() -> new ProviderException(
					"the source image " + source.getFileName() + " is not a PNG, JPEG or WebP picture", false));
		try {
			images.requireWithin(size);
		}
		catch (ImageTooLarge ex) {
			throw new ProviderException(ex.getMessage(), false, ex);
		}
	}

	private GenerationOutput audio(GenerationInput input, Fingerprint print, Path file) {
		long durationMs = requireDuration(input);
		ffmpeg.run(args(List.of("-f", "lavfi", "-i", melody(print), "-t", MediaEncoding.seconds(durationMs)),
				MediaEncoding.audio(), MediaEncoding.container(), output(file)), TIMEOUT);
		return timed(file, "audio/mp4", "local-audio-v1");
	}

	private GenerationOutput timed(Path file, String mimeType, String model) {
		return new GenerationOutput(file, mimeType, ffmpeg.probe(file).durationMs(), NAME, model);
	}

	private static long requireDuration(GenerationInput input) {
		if (input.durationMs() <= 0) {
			throw new ProviderException(input.kind() + " needs a positive durationMs, got " + input.durationMs(), false);
		}
		return input.durationMs();
	}

	/** A slowly turning gradient of four prompt colours; its shape and motion come from the prompt too. */
	private static String gradients(Fingerprint print, String size) {
		return String.format(Locale.ROOT, "gradients=s=%s:r=%d:n=4:c0=%s:c1=%s:c2=%s:c3=%s:type=%d:speed=%.4f:seed=%d",
				size, MediaFormat.FPS, print.color(0), print.color(3), print.color(6), print.color(9), print.at(12) % 4,
				0.005 + 0.025 * print.fraction(13), print.unsigned32(14));
	}

	/** A quiet chord, slightly detuned between the ears, under every clip so that none is silent. */
	private static String toneBed(Fingerprint print) {
		double root = 110 + 220 * print.fraction(18);
		double[] intervals = { 1.25, 1.5, 2 };
		double second = root * intervals[print.at(19) % intervals.length];
		String chord = "0.06*sin(2*PI*%.2f*t)+0.04*sin(2*PI*%.2f*t)";
		return String.format(Locale.ROOT, "aevalsrc=exprs='" + chord + "|" + chord + "':s=%d", root, second, root + 0.7,
				second - 0.7, MediaFormat.AUDIO_RATE);
	}

	/**
	 * A zoom into, and a pan across, the source image. The image is cropped to fill the frame at twice
	 * the clip size first: zoompan moves in whole pixels, and working larger halves the visible jitter.
	 * The clip has the frame size asked for (the storyboard's aspect), 640x360 by default.
	 */
	private static String cameraMove(Fingerprint print, long durationMs, int width, int height) {
		long frames = durationMs * MediaFormat.FPS / 1000;
		double zoom = 0.15 + 0.25 * print.fraction(20);
		double x0 = print.fraction(21);
		double y0 = print.fraction(23);
		return String.format(Locale.ROOT,
				"[0:v]scale=%1$d:%2$d:force_original_aspect_ratio=increase,crop=%1$d:%2$d,setsar=1,"
						+ "zoompan=z='1+%3$.3f*on/%4$d':x='(iw-iw/zoom)*(%5$.3f+(%6$.3f)*on/%4$d)'"
						+ ":y='(ih-ih/zoom)*(%7$.3f+(%8$.3f)*on/%4$d)':d=%4$d:s=%9$s:fps=%10$d,format=yuv420p[v]",
				2 * width, 2 * height, zoom, frames, x0, print.fraction(22) - x0, y0, print.fraction(24) - y0,
				width + "x" + height, MediaFormat.FPS);
	}

	/**
	 * A repeating phrase of eight notes whose pitches, tempo and key come from the text. Each note
	 * swells and fades with a half sine, so the jumps in pitch between notes do not click.
	 */
	private static String melody(Fingerprint print) {
		double notesPerSecond = 2 + print.at(25) % 4;
		double key = 165 + print.at(26);
		StringBuilder pitch = new StringBuilder();
		for (int note = 0; note < MELODY_NOTES; note++) {
			double frequency = key * Math.pow(2, PENTATONIC[print.at(27 + note) % PENTATONIC.length] / 12.0);
			pitch.append(String.format(Locale.ROOT, "%s%.2f*eq(ld(0),%d)", note == 0 ? "" : "+", frequency, note));
		}
		return String.format(Locale.ROOT,
				"aevalsrc=exprs='st(0,mod(floor(t*%1$.1f),%2$d));0.25*sin(PI*mod(t*%1$.1f,1))*sin(2*PI*t*(%3$s))'"
						+ ":s=%4$d:c=stereo",
				notesPerSecond, MELODY_NOTES, pitch, MediaFormat.AUDIO_RATE);
	}

	private static List<String> clip(long durationMs) {
		return args(List.of("-t", MediaEncoding.seconds(durationMs)), MediaEncoding.video(), MediaEncoding.audio(),
				MediaEncoding.container());
	}

	private static List<String> output(Path file) {
		return List.of(file.toAbsolutePath().toString());
	}

	@SafeVarargs
	private static List<String> args(List<String>... parts) {
		return Stream.of(parts).flatMap(List::stream).toList();
	}

	/** The SHA-256 of prompt and seed: the one source of every choice a generation makes. */
	private static final class Fingerprint {

		private final byte[] hash;

		private Fingerprint(byte[] hash) {
			this.hash = hash;
		}

		static Fingerprint of(String prompt, long seed) {
			try {
				return new Fingerprint(MessageDigest.getInstance("SHA-256")
					.digest((prompt + "\n" + seed).getBytes(StandardCharsets.UTF_8)));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/** Byte {@code index} (wrapping around) as 0..255. */
		int at(int index) {
			return hash[index % hash.length] & 0xff;
		}

		double fraction(int index) {
			return at(index) / 255.0;
		}

		/** Three bytes from {@code index} as an FFmpeg colour, {@code 0xRRGGBB}. */
		String color(int index) {
			return String.format("0x%02x%02x%02x", at(index), at(index + 1), at(index + 2));
		}

		long unsigned32(int index) {
			return (long) at(index) << 24 | at(index + 1) << 16 | at(index + 2) << 8 | at(index + 3);
		}

	}

}
