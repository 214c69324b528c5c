package dev.phork.media;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What ffprobe says about a media file: its first video and first audio stream. Numbers ffprobe
 * does not report are 0.
 *
 * @param durationMs the container's duration
 */
public record MediaInfo(long durationMs, boolean hasVideo, boolean hasAudio, @Nullable String videoCodec,
		@Nullable String audioCodec, int width, int height, double fps, int audioSampleRate, int audioChannels) {

	/** Whether the video can be joined to other clips by stream copy, as {@link MediaFormat} promises. */
	public boolean videoMatchesFormat() {
		return videoMatchesFormat(MediaFormat.WIDTH, MediaFormat.HEIGHT);
	}

	/** Whether the video is already in the render format at this frame size. */
	public boolean videoMatchesFormat(int frameWidth, int frameHeight) {
		return hasVideo && "h264".equals(videoCodec) && width == frameWidth && height == frameHeight
				&& Math.abs(fps - MediaFormat.FPS) < 0.01;
	}

	/** Reads the output of {@code ffprobe -print_format json -show_format -show_streams}. */
	static MediaInfo of(JsonNode probe) {
		Optional<JsonNode> video = firstStream(probe, "video");
		Optional<JsonNode> audio = firstStream(probe, "audio");
		return new MediaInfo(Math.round(probe.path("format").path("duration").asDouble(0) * 1000), video.isPresent(),
				audio.isPresent(), video.map(MediaInfo::codec).orElse(null), audio.map(MediaInfo::codec).orElse(null),
				video.map(v -> v.path("width").asInt(0)).orElse(0), video.map(v -> v.path("height").asInt(0)).orElse(0),
				video.map(MediaInfo::fps).orElse(0.0), audio.map(a -> a.path("sample_rate").asInt(0)).orElse(0),
				audio.map(a -> a.path("channels").asInt(0)).orElse(0));
	}

	/** Cover art in an audio file is a video stream to ffprobe, but not a video. */
	private static Optional<JsonNode> firstStream(JsonNode probe, String type) {
		return probe.path("streams")
			.values()
			.stream()
			.filter(s -> type.equals(s.path("codec_type").asString("")))
			.filter(s -> s.path("disposition").path("attached_pic").asInt(0) == 0)
			.findFirst();
	}

	private static @Nullable String codec(JsonNode stream) {
		String name = stream.path("codec_name").asString("");
		return name.isEmpty() ? null : name;
	}

	/** ffprobe gives rates as fractions ({@code 25/1}, {@code 30000/1001}, {@code 0/0} when unknown). */
	private static double fps(JsonNode stream) {
		String rate = stream.path("avg_frame_rate").asString("0/0");
		if (rate.equals("0/0")) {
			rate = stream.path("r_frame_rate").asString("0/0");
		}
		String[] parts = rate.split("/");
		try {
			double denominator = parts.length == 2 ? Double.parseDouble(parts[1]) : 1;
			return denominator == 0 ? 0 : Double.parseDouble(parts[0]) / denominator;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
