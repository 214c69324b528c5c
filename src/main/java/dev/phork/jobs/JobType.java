package dev.phork.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.phork.generation.GenerationKind;
import org.jspecify.annotations.Nullable;

public enum JobType {

	GEN_VIDEO("gen_video", GenerationKind.VIDEO), GEN_AUDIO("gen_audio", GenerationKind.AUDIO),
	GEN_IMAGE("gen_image", GenerationKind.IMAGE), ANIMATE("animate", GenerationKind.ANIMATE), RENDER("render", null);

	private final String json;

	private final @Nullable GenerationKind kind;

	JobType(String json, @Nullable GenerationKind kind) {
		this.json = json;
		this.kind = kind;
	}

	@JsonValue
	public String json() {
		return json;
	}

	/** The generation kind, or null for renders. */
	public @Nullable GenerationKind kind() {
		return kind;
	}

	public static JobType parse(String value) {
		for (JobType type : values()) {
			if (type.json.equals(value)) {
				return type;
			}
		}
		throw new IllegalArgumentException("unknown job type " + value);
	}

}
