package dev.phork.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum JobStatus {

	QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED;

	@JsonValue
	public String json() {
		return name().toLowerCase(Locale.ROOT);
	}

	public boolean terminal() {
		return this == SUCCEEDED || this == FAILED || this == CANCELED;
	}

	public static JobStatus parse(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

}
