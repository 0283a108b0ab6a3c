package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class RetryAfterTest {

    static final Clock NOW = Clock.fixed(Instant.parse("2026-12-07T05:00:00Z"), ZoneOffset.UTC);

    @Test
    void secondsAndFractionsOfThem() {
        assertThat(RetryAfter.of(null, "1", NOW)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryAfter.of(null, " 0.25 ", NOW)).isEqualTo(Duration.ofMillis(250));
        assertThat(RetryAfter.of(null, "0", NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void anHttpDateIsTheWaitUntilThen() {
        assertThat(RetryAfter.of(null, "Mon, 07 Dec 2026 05:00:03 GMT", NOW)).isEqualTo(Duration.ofSeconds(3));
        assertThat(RetryAfter.of(null, "Mon, 07 Dec 2026 04:59:00 GMT", NOW)).as("a date past").isEqualTo(Duration.ZERO);
    }

    @Test
    void openAisMillisecondsWin() {
        assertThat(RetryAfter.of("350", "1", NOW)).isEqualTo(Duration.ofMillis(350));
        assertThat(RetryAfter.of("soon", "1", NOW)).as("an unreadable retry-after-ms").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void noneOrUnreadableIsNone() {
        assertThat(RetryAfter.of(null, null, NOW)).isNull();
        assertThat(RetryAfter.of(null, "", NOW)).isNull();
        assertThat(RetryAfter.of(null, "later", NOW)).isNull();
        assertThat(RetryAfter.of(null, "-5", NOW)).isNull();
    }
}
