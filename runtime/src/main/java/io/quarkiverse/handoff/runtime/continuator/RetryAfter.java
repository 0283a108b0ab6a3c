package io.quarkiverse.handoff.runtime.continuator;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import io.vertx.core.MultiMap;

/**
 * How long a cloud asked to wait before the next request, from its answer's headers: {@code Retry-After} in seconds or
 * as an HTTP date (RFC 9110), or OpenAI's {@code retry-after-ms} in milliseconds, which is more precise and wins.
 */
final class RetryAfter {

    private RetryAfter() {
    }

    /** The wait the headers ask for, or null when they ask for none (or say it in a form no standard has). */
    static Duration of(MultiMap headers) {
        return of(headers.get("retry-after-ms"), headers.get("Retry-After"), Clock.systemUTC());
    }

    static Duration of(String milliseconds, String retryAfter, Clock clock) {
        Duration precise = number(milliseconds, false);
        if (precise != null) {
            return precise;
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return null;
        }
        Duration seconds = number(retryAfter, true);
        if (seconds != null) {
            return seconds;
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(retryAfter.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), at.toInstant());
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration number(String value, boolean seconds) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double amount = Double.parseDouble(value.strip());
            if (amount < 0 || Double.isNaN(amount) || Double.isInfinite(amount)) {
                return null;
            }
            return Duration.ofNanos((long) Math.min(Long.MAX_VALUE, amount * (seconds ? 1e9 : 1e6)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
