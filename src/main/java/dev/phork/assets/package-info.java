/**
 * Minted assets: immutable blobs in content-addressed storage with provenance and a receipt signed
 * by the platform, served through expiring signed URLs.
 */
@NullMarked
package dev.phork.assets;

import org.jspecify.annotations.NullMarked;
