package dev.phork.assets;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum AssetType {

	IMAGE, VIDEO, AUDIO, RENDER, UPLOAD;

	@JsonValue
	public String json() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static AssetType parse(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

}
