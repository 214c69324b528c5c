package dev.phork.media;

/**
 * The one format every generated clip uses, so that renders can join clips by stream copy:
 * H.264 (yuv420p) at 640x360 and 25 fps, with AAC stereo audio at 48 kHz, in MP4.
 */
public final class MediaFormat {

	public static final int WIDTH = 640;

	public static final int HEIGHT = 360;

	public static final int FPS = 25;

	public static final int AUDIO_RATE = 48_000;

	public static final int AUDIO_CHANNELS = 2;

	private MediaFormat() {
	}

}
