package dev.phork.safety;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param blocklist words or phrases that refuse a prompt (case-insensitive, whole words)
 * @param eventRetention how long safety events are kept
 */
@ConfigurationProperties("phork.safety")
record SafetySettings(List<String> blocklist, Duration eventRetention) {
}
