package dev.phork.media;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where FFmpeg is. Empty paths ({@code PHORK_FFMPEG}, {@code PHORK_FFPROBE} unset) mean: search
 * the {@code PATH}.
 */
@ConfigurationProperties("phork.media")
public record MediaSettings(@Nullable String ffmpegPath, @Nullable String ffprobePath) {
}
