package io.quarkiverse.handoff.runtime.observability;

import java.time.Duration;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkiverse.handoff.HandoffListener;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.CorrectionEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.ErrorEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.event.Timings;

/**
 * Micrometer metrics of every handoff. Registered by the build only when the application has the Micrometer
 * capability (quarkus-micrometer and a registry); see {@link HandoffMetrics} for the names.
 * <p>
 * Meters are created on first use and then found in the registry's cache; recording a timer or a counter never
 * blocks, so it is safe on the event loop and on the opener's worker threads.
 */
@Singleton
public class MicrometerHandoffListener implements HandoffListener {

    private static final Logger LOG = Logger.getLogger(MicrometerHandoffListener.class);

    private final MeterRegistry registry;

    @Inject
    public MicrometerHandoffListener(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onEvent(HandoffRequest request, HandoffEvent event) {
        try {
            record(request, event);
        } catch (RuntimeException e) {
            // metrics must never break a reply
            LOG.debugf(e, "Cannot record the metrics of a %s event", event.type());
        }
    }

    private void record(HandoffRequest request, HandoffEvent event) {
        if (event instanceof DoneEvent done) {
            done(profile(request), done);
        } else if (event instanceof CorrectionEvent correction) {
            Counter.builder(HandoffMetrics.CORRECTIONS)
                    .description("Error-correction methods fired because the opener went wrong, per method")
                    .tag(HandoffMetrics.TAG_METHOD, tagValue(correction.method()))
                    .tag(HandoffMetrics.TAG_PROFILE, profile(request))
                    .register(registry).increment();
        } else if (event instanceof ErrorEvent error) {
            Counter.builder(HandoffMetrics.ERRORS)
                    .description("Handoffs that could not be served, per error code")
                    .tag(HandoffMetrics.TAG_CODE, tagValue(error.code()))
                    .tag(HandoffMetrics.TAG_PROFILE, profile(request))
                    .register(registry).increment();
        }
    }

    private void done(String profile, DoneEvent done) {
        String strategy = tagValue(done.strategy());
        Counter.builder(HandoffMetrics.HANDOFFS)
                .description("Completed handoffs, per profile, continuation strategy and whether they were degraded")
                .tag(HandoffMetrics.TAG_PROFILE, profile)
                .tag(HandoffMetrics.TAG_STRATEGY, strategy)
                .tag(HandoffMetrics.TAG_DEGRADED, Boolean.toString(done.degraded()))
                .register(registry).increment();
        if (done.degraded()) {
            Counter.builder(HandoffMetrics.DEGRADED)
                    .description("Handoffs finished on the device because the cloud failed or was too slow")
                    .tag(HandoffMetrics.TAG_PROFILE, profile)
                    .register(registry).increment();
        }
        if (done.openerStop() != null) {
            Counter.builder(HandoffMetrics.OPENER_STOPS)
                    .description("Where openers stopped, per reason and the grounding guard's fact class")
                    .tag(HandoffMetrics.TAG_PROFILE, profile)
                    .tag(HandoffMetrics.TAG_REASON, tagValue(done.openerStop().reason()))
                    .tag(HandoffMetrics.TAG_FACT, tagValue(done.openerStop().fact()))
                    .register(registry).increment();
        }
        Timings timings = done.timings();
        if (timings == null) {
            return;
        }
        String continuator = tagValue(done.continuator());
        time(HandoffMetrics.OPENER_FIRST_TOKEN, "From the handoff's start to the opener model's first token",
                timings.openerFirstTokenMs(), profile, null);
        time(HandoffMetrics.OPENER_FIRST_WORD, "From the handoff's start to the first complete opener word",
                timings.openerFirstWordMs(), profile, null);
        time(HandoffMetrics.CLOUD_FIRST_TOKEN,
                "From the continuation request leaving to the continuator's first token",
                between(timings.cloudRequestSentMs(), timings.cloudFirstTokenMs()), profile, continuator);
        time(HandoffMetrics.SEAM_GAP,
                "From the opener's commit to the first continuation text reaching the user",
                timings.seamGapMs(), profile, continuator);
        time(HandoffMetrics.TOTAL, "The whole handoff, from start to the last word", timings.totalMs(), profile,
                continuator);
    }

    private void time(String name, String description, Double millis, String profile, String continuator) {
        if (millis == null || millis.isNaN() || millis < 0) {
            return; // the stage did not happen in this handoff (e.g. no opener in cloud-only mode)
        }
        Timer.Builder timer = Timer.builder(name).description(description).tag(HandoffMetrics.TAG_PROFILE, profile);
        if (continuator != null) {
            timer.tag(HandoffMetrics.TAG_CONTINUATOR, continuator);
        }
        timer.register(registry).record(Duration.ofNanos(Math.round(millis * 1_000_000.0)));
    }

    private static Double between(Double from, Double to) {
        return from == null || to == null ? null : Math.max(0.0, to - from);
    }

    /** Unknown profiles are rejected before a handoff starts, so this tag has as many values as profiles. */
    static String profile(HandoffRequest request) {
        return request.profile().trim().toLowerCase(Locale.ROOT);
    }

    private static String tagValue(String value) {
        return value == null || value.isBlank() ? "none" : value;
    }
}
