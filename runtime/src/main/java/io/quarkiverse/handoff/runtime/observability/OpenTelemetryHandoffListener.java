package io.quarkiverse.handoff.runtime.observability;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffListener;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.ContinuationEvent;
import io.quarkiverse.handoff.event.CorrectionEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.ErrorEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.event.OpenerEvent;
import io.quarkiverse.handoff.event.PlanEvent;
import io.quarkiverse.handoff.event.Timings;

/**
 * One OpenTelemetry span per handoff, with the GenAI semantic-convention attributes ({@code gen_ai.*}) and the
 * handoff's own ({@code handoff.*}); see {@link HandoffSpanAttributes}. Registered by the build only when the
 * application has the OpenTelemetry tracer capability (quarkus-opentelemetry).
 * <p>
 * The span starts exactly when the handoff started (back-dated on the handoff's clock when its stream is subscribed)
 * and ends with its {@code done} or {@code error} event; its parent is the context current at the subscription. A handoff whose
 * subscriber went away (the client disconnected) is ended, marked abandoned, once it has
 * been silent for {@link #ABANDONED_AFTER}. Nothing here blocks.
 */
@Singleton
public class OpenTelemetryHandoffListener implements HandoffListener {

    /** The instrumentation scope of the spans. */
    public static final String INSTRUMENTATION_SCOPE = "io.quarkiverse.handoff";
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(5);

    private static final Logger LOG = Logger.getLogger(OpenTelemetryHandoffListener.class);

    private final Tracer tracer;
    private final GenAiModels models;
    private final Map<Key, Trace> traces = new ConcurrentHashMap<>();

    @Inject
    public OpenTelemetryHandoffListener(OpenTelemetry openTelemetry, GenAiModels models) {
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
        this.models = models;
    }

    @Override
    public void onStart(HandoffRequest request, HandoffClock clock) {
        try {
            sweepAbandoned();
            traces.put(new Key(request), start(request, clock));
        } catch (RuntimeException e) {
            // tracing must never break a reply
            LOG.debugf(e, "Cannot trace the start of a handoff");
        }
    }

    @Override
    public void onEvent(HandoffRequest request, HandoffEvent event) {
        try {
            trace(request, event);
        } catch (RuntimeException e) {
            // tracing must never break a reply
            LOG.debugf(e, "Cannot trace a %s event", event.type());
        }
    }

    private void trace(HandoffRequest request, HandoffEvent event) {
        Key key = new Key(request);
        Trace trace = traces.get(key);
        if (trace == null) {
            return; // already ended as abandoned
        }
        trace.lastEventNanos = System.nanoTime();
        Span span = trace.span;
        if (event instanceof OpenerEvent) {
            trace.openerWords++;
        } else if (event instanceof PlanEvent plan) {
            plan(trace, plan);
        } else if (event instanceof ContinuationEvent) {
            trace.continuationDeltas++;
        } else if (event instanceof CorrectionEvent correction) {
            span.setAttribute(HandoffSpanAttributes.CORRECTION_METHOD, correction.method());
            span.addEvent("correction", Attributes.of(AttributeKey.stringKey("method"), correction.method(),
                    AttributeKey.stringKey("reason"), String.valueOf(correction.reason())));
        } else if (event instanceof DoneEvent done) {
            traces.remove(key);
            done(trace, done);
        } else if (event instanceof ErrorEvent error) {
            traces.remove(key);
            span.setAttribute(HandoffSpanAttributes.ERROR_TYPE, error.code());
            span.setStatus(StatusCode.ERROR, error.message());
            span.end();
        }
    }

    private Trace start(HandoffRequest request, HandoffClock clock) {
        Instant started = Instant.now().minus(clock.elapsedNanos(), ChronoUnit.NANOS);
        String profile = MicrometerHandoffListener.profile(request);
        Span span = tracer.spanBuilder("chat " + profile)
                .setSpanKind(SpanKind.INTERNAL)
                .setParent(Context.current())
                .setStartTimestamp(started)
                .setAttribute(HandoffSpanAttributes.GEN_AI_OPERATION_NAME, "chat")
                .setAttribute(HandoffSpanAttributes.PROFILE, profile)
                .startSpan();
        return new Trace(span);
    }

    private void plan(Trace trace, PlanEvent event) {
        Span span = trace.span;
        GenAiModels.Model model = models.describe(event.continuator());
        span.updateName("chat " + model.requestModel());
        span.setAttribute(HandoffSpanAttributes.GEN_AI_SYSTEM, model.system());
        span.setAttribute(HandoffSpanAttributes.GEN_AI_REQUEST_MODEL, model.requestModel());
        span.setAttribute(HandoffSpanAttributes.OPENER_MODEL, models.openerModel());
        span.setAttribute(HandoffSpanAttributes.CONTINUATOR, event.continuator());
        if (event.plan() != null) {
            span.setAttribute(HandoffSpanAttributes.MODE, event.plan().mode().name().toLowerCase(Locale.ROOT));
            span.setAttribute(HandoffSpanAttributes.HANDOFF_POINT,
                    event.plan().handoffPoint().name().toLowerCase(Locale.ROOT));
            span.setAttribute(HandoffSpanAttributes.PLANNED_OPENER_WORDS, (long) event.plan().openerWords());
            span.setAttribute(HandoffSpanAttributes.RECOVERY_METHOD, event.plan().recoveryMethod());
            span.setAttribute(HandoffSpanAttributes.FIRED_RULES, event.plan().firedRules());
            if (event.plan().sampling() != null) {
                span.setAttribute(HandoffSpanAttributes.GEN_AI_REQUEST_TEMPERATURE,
                        event.plan().sampling().temperature());
                span.setAttribute(HandoffSpanAttributes.GEN_AI_REQUEST_TOP_P, event.plan().sampling().topP());
            }
        }
        span.addEvent("handoff", Attributes.of(AttributeKey.longKey("handoff.opener.words"), (long) trace.openerWords),
                epochNanosNow(), TimeUnit.NANOSECONDS);
    }

    private static void done(Trace trace, DoneEvent done) {
        Span span = trace.span;
        span.setAttribute(HandoffSpanAttributes.OPENER_WORDS, (long) trace.openerWords);
        span.setAttribute(HandoffSpanAttributes.CONTINUATION_DELTAS, (long) trace.continuationDeltas);
        span.setAttribute(HandoffSpanAttributes.STRATEGY, String.valueOf(done.strategy()));
        span.setAttribute(HandoffSpanAttributes.DEGRADED, done.degraded());
        if (done.correction() != null) {
            span.setAttribute(HandoffSpanAttributes.CORRECTION_METHOD, done.correction());
        }
        if (done.openerStop() != null) {
            span.setAttribute(HandoffSpanAttributes.OPENER_STOP_REASON, done.openerStop().reason());
            if (done.openerStop().fact() != null) {
                span.setAttribute(HandoffSpanAttributes.OPENER_STOP_FACT, done.openerStop().fact());
            }
        }
        Timings timings = done.timings();
        if (timings != null) {
            timing(span, HandoffSpanAttributes.OPENER_FIRST_TOKEN_MS, timings.openerFirstTokenMs());
            timing(span, HandoffSpanAttributes.OPENER_FIRST_WORD_MS, timings.openerFirstWordMs());
            timing(span, HandoffSpanAttributes.OPENER_DONE_MS, timings.openerDoneMs());
            timing(span, HandoffSpanAttributes.CLOUD_REQUEST_SENT_MS, timings.cloudRequestSentMs());
            timing(span, HandoffSpanAttributes.CLOUD_FIRST_TOKEN_MS, timings.cloudFirstTokenMs());
            timing(span, HandoffSpanAttributes.SEAM_GAP_MS, timings.seamGapMs());
            timing(span, HandoffSpanAttributes.TOTAL_MS, timings.totalMs());
        }
        span.setStatus(done.degraded() ? StatusCode.UNSET : StatusCode.OK);
        span.end();
    }

    private static void timing(Span span, AttributeKey<Double> key, Double value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }

    /** Ends the spans of handoffs that have been silent too long: their subscriber cancelled them. */
    private void sweepAbandoned() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<Key, Trace>> it = traces.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, Trace> entry = it.next();
            Trace trace = entry.getValue();
            if (now - trace.lastEventNanos > ABANDONED_AFTER.toNanos()) {
                it.remove();
                trace.span.setAttribute(HandoffSpanAttributes.ABANDONED, true);
                trace.span.end();
            }
        }
    }

    private static long epochNanosNow() {
        Instant now = Instant.now();
        return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }

    /** The events of one handoff share its request instance: key by identity, not by the record's value. */
    private static final class Key {
        private final HandoffRequest request;

        Key(HandoffRequest request) {
            this.request = request;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.request == request;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(request);
        }
    }

    private static final class Trace {
        final Span span;
        volatile long lastEventNanos = System.nanoTime();
        volatile int openerWords;
        volatile int continuationDeltas;

        Trace(Span span) {
            this.span = span;
        }
    }
}
