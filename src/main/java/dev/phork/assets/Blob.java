package dev.phork.assets;

/** Bytes already in the blob store, registered so the sweeper knows about them. */
public record Blob(String sha256, long sizeBytes) {
}
