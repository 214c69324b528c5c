/**
 * FFmpeg and ffprobe: finding them, running them, probing media, and rendering a storyboard into
 * one video.
 */
@NullMarked
package dev.phork.media;

import org.jspecify.annotations.NullMarked;
