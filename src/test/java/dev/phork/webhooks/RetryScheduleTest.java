package dev.phork.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

	private final RetrySchedule standard = new RetrySchedule(List.of(Duration.ZERO, Duration.ofSeconds(5),
			Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
			Duration.ofHours(14), Duration.ofHours(20), Duration.ofHours(24)));

	@Test
	void followsTheScheduleWithUpToTenPercentJitterThenGivesUp() {
		assertThat(standard.first()).isZero();
		assertThat(standard.after(1, null, 0)).contains(Duration.ofSeconds(5));
		assertThat(standard.after(1, null, 0.999).orElseThrow()).isBetween(Duration.ofSeconds(5), Duration.ofMillis(5500));
		assertThat(standard.after(2, null, 0.5)).contains(Duration.ofSeconds(315));
		assertThat(standard.after(9, null, 0)).contains(Duration.ofHours(24));
		assertThat(standard.after(10, null, 0)).isEmpty();
	}

	@Test
	void retryAfterWinsWhenLongerAndIsCappedAtADay() {
		assertThat(standard.after(1, Duration.ofSeconds(60), 0)).contains(Duration.ofSeconds(60));
		assertThat(standard.after(1, Duration.ofSeconds(1), 0)).contains(Duration.ofSeconds(5));
		assertThat(standard.after(1, Duration.ofDays(9), 0)).contains(Duration.ofDays(1));
		assertThat(standard.after(10, Duration.ofSeconds(60), 0)).isEmpty();
	}

	@Test
	void retryAfterIsReadAsSecondsOrAnHttpDate() {
		assertThat(Dispatcher.retryAfter("120")).isEqualTo(Duration.ofSeconds(120));
		assertThat(Dispatcher.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
		assertThat(Dispatcher.retryAfter("soon")).isNull();
		assertThat(Dispatcher.retryAfter(null)).isNull();
	}

}
