package dev.phork.storyboard;

/**
 * How a scene is framed and how the camera moves. Free text rather than enums, because a language
 * model writing storyboards may use any film vocabulary; the local writer sticks to {@code wide},
 * {@code medium}, {@code close-up} and {@code static}, {@code pan}, {@code dolly}, {@code tracking}.
 */
public record Composition(String shotType, String cameraMovement) {
}
