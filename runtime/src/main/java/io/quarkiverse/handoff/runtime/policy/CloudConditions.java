package io.quarkiverse.handoff.runtime.policy;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The planner's view of the cloud: a moving average (EWMA) of each continuator's first-token latency, the opener's
 * first-word latency, and whether the cloud is reachable at all. Thread-safe; updated after each handoff, read by the
 * next plan.
 * <p>
 * Before the first measurement a continuator is assumed to answer in the configured initial latency; the first
 * measurement replaces that guess, later ones are averaged in with weight {@code smoothing}.
 */
@ApplicationScoped
public class CloudConditions {

    /** The key used when a plan or a measurement names no continuator. */
    public static final String DEFAULT_CONTINUATOR = "default";

    private record Estimate(double ms, long samples) {
    }

    private final OptionalDouble initialFirstTokenMs;
    private final double smoothing;
    private final Map<String, Estimate> cloud = new ConcurrentHashMap<>();
    private final AtomicReference<Estimate> opener = new AtomicReference<>();
    private volatile boolean cloudReachable = true;

    @Inject
    public CloudConditions(PolicyRuntimeConfig config) {
        this(OptionalDouble.of(config.cloud().initialFirstTokenMs()), config.cloud().smoothing());
    }

    /**
     * @param initialFirstTokenMs the latency assumed before any measurement, or empty to know nothing until measured
     * @param smoothing the weight of a new measurement, in (0, 1]
     */
    public CloudConditions(OptionalDouble initialFirstTokenMs, double smoothing) {
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

    /** The expected first-token latency of that continuator: its moving average, else the initial assumption. */
    public OptionalDouble expectedCloudFirstTokenMs(String continuator) {
        Estimate estimate = cloud.get(key(continuator));
        return estimate != null ? OptionalDouble.of(estimate.ms()) : initialFirstTokenMs;
    }

    /** The expected time to the opener's first word, once measured. */
    public OptionalDouble expectedOpenerFirstWordMs() {
        Estimate estimate = opener.get();
        return estimate != null ? OptionalDouble.of(estimate.ms()) : OptionalDouble.empty();
    }

    /** How many cloud first-token measurements were averaged for that continuator. */
    public long cloudSamples(String continuator) {
        Estimate estimate = cloud.get(key(continuator));
        return estimate == null ? 0 : estimate.samples();
    }

    /** Forgets every measurement (the cloud is assumed reachable again). */
    public void reset() {
        cloud.clear();
        opener.set(null);
        cloudReachable = true;
    }

    private Estimate next(Estimate old, double ms) {
        if (old == null) {
            return new Estimate(ms, 1);
        }
        return new Estimate(smoothing * ms + (1 - smoothing) * old.ms(), old.samples() + 1);
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
