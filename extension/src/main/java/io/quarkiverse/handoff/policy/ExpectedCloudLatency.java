package io.quarkiverse.handoff.policy;

import java.util.Objects;

/**
 * A fact the rules derive while planning: how long the cloud is expected to take to its first token, and from what
 * that expectation comes. The default rules insert one (from a measurement, else the device's round trip, else the
 * configured assumption) so that the rules sizing the opener and the cloud deadline need not repeat that choice.
 */
public final class ExpectedCloudLatency {

    /** Where the expectation comes from. */
    public enum Source {
        /** The moving average of the continuator's measured first-token latency. */
        MEASURED,
        /** The round trip the device measured, plus an allowance for the cloud model's own time to a first token. */
        ROUND_TRIP,
        /** The configured assumption, when nothing was measured. */
        ASSUMED
    }

    private final double millis;
    private final Source source;

    public ExpectedCloudLatency(double millis, Source source) {
        if (!(millis >= 0) || Double.isInfinite(millis)) {
            throw new IllegalArgumentException("expected cloud latency must be a finite number of ms >= 0, got " + millis);
        }
        this.millis = millis;
        this.source = Objects.requireNonNull(source, "source");
    }

    public double getMillis() {
        return millis;
    }

    public Source getSource() {
        return source;
    }

    @Override
    public String toString() {
        return "ExpectedCloudLatency[" + millis + " ms, " + source + "]";
    }
}
