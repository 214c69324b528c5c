package dev.phork.media;

import java.math.BigDecimal;
import java.util.List;

/**
 * The FFmpeg output options every clip is made with. The generator and the renderer's re-encoding
 * path share them because joining clips by stream copy needs identical H.264 parameters, not just
 * the same {@link MediaFormat}.
 *
 * <p>Everything is bit-exact: no encoder versions or dates in the file, and a fixed x264 thread
 * count (its output depends on it), so that the same input gives the same bytes on any machine with
 * the same FFmpeg.
 */
public final class MediaEncoding {

	private static final int ENCODER_THREADS = 2;

	private MediaEncoding() {
	}

	public static List<String> video() {
		return List.of("-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-r",
				String.valueOf(MediaFormat.FPS), "-g", String.valueOf(MediaFormat.FPS), "-threads",
				String.valueOf(ENCODER_THREADS), "-flags:v", "+bitexact");
	}

	public static List<String> audio() {
		return List.of("-c:a", "aac", "-b:a", "128k", "-ar", String.valueOf(MediaFormat.AUDIO_RATE), "-ac",
				String.valueOf(MediaFormat.AUDIO_CHANNELS), "-flags:a", "+bitexact");
	}

	/** MP4 and M4A: no metadata, and the index first so that playback starts before the download ends. */
	public static List<String> container() {
		return List.of("-fflags", "+bitexact", "-map_metadata", "-1", "-movflags", "+faststart");
	}

	/** The duration of the whole number of frames nearest to {@code durationMs}, at least one frame. */
	public static long frameAligned(long durationMs) {
		long frames = Math.max(1, Math.round(durationMs * MediaFormat.FPS / 1000.0));
		return frames * 1000 / MediaFormat.FPS;
	}

	/** A duration as FFmpeg reads it ({@code 4.520}), independent of the locale. */
	public static String seconds(long durationMs) {
		return BigDecimal.valueOf(durationMs, 3).toPlainString();
	}

}
