package io.quarkiverse.handoff.runtime.policy;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkiverse.handoff.runtime.config.HandoffRuntimeConfig;

/**
 * The planner's view of the cloud: a moving average (EWMA) of each continuator's first-token latency, the opener's
 * first-word latency, and whether the cloud is reachable at all. Thread-safe; updated after each handoff, read by the
 * next plan.
 * <p>
 * The first measurement starts an estimate, later ones are averaged in with weight {@code smoothing}. Before any
 * measurement the planner works from the device's round trip or, failing that, the configured assumption
 * ({@link #assumedCloudFirstTokenMs()}).
 * <p>
 * Estimates age: one that no measurement refreshed for {@code maxAge} is forgotten, and the next measurement starts
 * it afresh. This matters because a plan can stop the very measurements it is based on: once the cloud is measured
 * faster than the opener, plans skip the opener, so the opener is no longer measured; when its estimate expires, the
 * next plan runs the opener again, measures it, and the decision can flip back.
 */
@ApplicationScoped
public class CloudConditions {

    /** The key used when a plan or a measurement names no continuator. */
    public static final String DEFAULT_CONTINUATOR = "default";

    /** How long an estimate lasts without a new measurement when not configured. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(60);

    private record Estimate(double ms, long samples, long measuredAtNanos) {
    }

    private final OptionalDouble initialFirstTokenMs;
    private final double smoothing;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Estimate> cloud = new ConcurrentHashMap<>();
    private final AtomicReference<Estimate> opener = new AtomicReference<>();
    private volatile boolean cloudReachable = true;

    @Inject
    public CloudConditions(HandoffRuntimeConfig config) {
        this(config.policy().cloud());
    }

    private CloudConditions(PolicyRuntimeConfig.CloudConfig config) {
        this(OptionalDouble.of(config.initialFirstTokenMs()), config.smoothing(), config.estimateMaxAge(),
                System::nanoTime);
    }

    /** Conditions whose estimates last {@link #DEFAULT_MAX_AGE}. */
    public CloudConditions(OptionalDouble initialFirstTokenMs, double smoothing) {
        this(initialFirstTokenMs, smoothing, DEFAULT_MAX_AGE, System::nanoTime);
    }

    /**
     * @param initialFirstTokenMs the latency assumed before any measurement, or empty to assume nothing
     * @param smoothing the weight of a new measurement, in (0, 1]
     * @param maxAge how long an estimate lasts without a new measurement
     * @param nanoClock the time, in nanoseconds, that estimates age by ({@code System::nanoTime})
     */
    public CloudConditions(OptionalDouble initialFirstTokenMs, double smoothing, Duration maxAge,
            LongSupplier nanoClock) {
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException(
                    "quarkus.handoff.policy.cloud.estimate-max-age must be a positive duration (e.g. 60s), got "
                            + maxAge);
        }
        if (!(smoothing > 0 && smoothing <= 1)) {
            throw new IllegalArgumentException(
                    "quarkus.handoff.policy.cloud.smoothing must be in (0, 1], got " + smoothing);
        }
        if (initialFirstTokenMs.isPresent()) {
            double ms = initialFirstTokenMs.getAsDouble();
            if (!(ms >= 0) || Double.isInfinite(ms)) {
                throw new IllegalArgumentException(
                        "quarkus.handoff.policy.cloud.initial-first-token-ms must be >= 0, got " + ms);
            }
        }
        this.initialFirstTokenMs = initialFirstTokenMs;
        this.smoothing = smoothing;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Records the measured time from sending a continuation request to its first token. */
    public void recordCloudFirstToken(String continuator, double ms) {
        check(ms, "cloud first-token latency");
        cloud.compute(key(continuator), (k, old) -> next(old, ms));
    }

    /** Records the measured time from the start of a handoff to the opener's first word. */
    public void recordOpenerFirstWord(double ms) {
        check(ms, "opener first-word latency");
        opener.updateAndGet(old -> next(old, ms));
    }

    public void setCloudReachable(boolean reachable) {
        this.cloudReachable = reachable;
    }

    public boolean isCloudReachable() {
        return cloudReachable;
    }

    /** The measured first-token latency of that continuator (its moving average), unless none is recent. */
    public OptionalDouble expectedCloudFirstTokenMs(String continuator) {
        return millis(cloud.get(key(continuator)));
    }

    /** The first-token latency assumed before anything is measured (initial-first-token-ms), if any. */
    public OptionalDouble assumedCloudFirstTokenMs() {
        return initialFirstTokenMs;
    }

    /** The measured time to the opener's first word (its moving average), unless none is recent. */
    public OptionalDouble expectedOpenerFirstWordMs() {
        return millis(opener.get());
    }

    /** How many cloud first-token measurements the current estimate of that continuator averages (0 if none). */
    public long cloudSamples(String continuator) {
        Estimate estimate = cloud.get(key(continuator));
        return fresh(estimate) ? estimate.samples() : 0;
    }

    /** Forgets every measurement (the cloud is assumed reachable again). */
    public void reset() {
        cloud.clear();
        opener.set(null);
        cloudReachable = true;
    }

    private Estimate next(Estimate old, double ms) {
        long now = nanoClock.getAsLong();
        if (!fresh(old, now)) {
            return new Estimate(ms, 1, now);
        }
        return new Estimate(smoothing * ms + (1 - smoothing) * old.ms(), old.samples() + 1, now);
    }

    private OptionalDouble millis(Estimate estimate) {
        return fresh(estimate) ? OptionalDouble.of(estimate.ms()) : OptionalDouble.empty();
    }

    private boolean fresh(Estimate estimate) {
        return fresh(estimate, nanoClock.getAsLong());
    }

    private boolean fresh(Estimate estimate, long now) {
        return estimate != null && now - estimate.measuredAtNanos() < maxAgeNanos;
    }

    private static String key(String continuator) {
        return continuator == null || continuator.isBlank() ? DEFAULT_CONTINUATOR : continuator;
    }

    private static void check(double ms, String what) {
        if (!(ms >= 0) || Double.isInfinite(ms)) {
            throw new IllegalArgumentException(what + " must be a finite number of ms >= 0, got " + ms);
        }
    }
}
