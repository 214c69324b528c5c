package dev.phork.common;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings shared by every feature. {@code dataDir} holds the embedded database, blobs and the
 * generated secrets; override it with {@code PHORK_DATA_DIR}.
 */
@ConfigurationProperties("phork")
public record PhorkSettings(Path dataDir) {
}
