package dev.phork.media;

/**
 * FFmpeg or ffprobe cannot be found. Not transient: only the operator can fix it, and the message
 * says how.
 */
public class FfmpegMissing extends MediaException {

	public FfmpegMissing() {
		super("FFmpeg is not installed or not found: install it (Debian/Ubuntu: apt-get install ffmpeg, "
				+ "macOS: brew install ffmpeg) or set PHORK_FFMPEG and PHORK_FFPROBE", false);
	}

}
