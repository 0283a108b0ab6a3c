package io.quarkiverse.handoff.runtime.continuator;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import dev.langchain4j.exception.HttpException;
import io.quarkiverse.handoff.runtime.config.HandoffRuntimeConfig;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * SmallRye Fault Tolerance around every cloud continuation.
 * <p>
 * Fault Tolerance guards calls that produce one result ({@code Uni}), not streams: each attempt (one cloud request) is
 * a {@code Uni} that ends when its stream ends, while its text goes on to the caller as it arrives. So the circuit
 * breaker counts how each whole answer ended: a stream that stalls, reports an error event or breaks after its first
 * token is a failure, as much as one that never started. The guard retries an attempt that failed before any text
 * (never one whose text reached the user, by construction), after the cloud's {@code Retry-After} when it gave one
 * (else after the configured delay), as long as the plan's deadline leaves room for it. The time limits are the
 * attempt's own: the first token must come within the plan's deadline, counted across retries (it differs per plan,
 * and a Fault Tolerance timeout is fixed per guard), and, once the stream started, two chunks may not be further apart
 * than the idle timeout.
 * <p>
 * When the breaker opens, {@link CloudConditions#setCloudReachable(boolean) the cloud is marked unreachable}, so plans
 * go local-only; after the breaker's delay it is marked reachable again, so that the next plan is hybrid and its call
 * is the breaker's trial.
 */
@Singleton
public class ContinuationGuard {

    private static final Logger LOG = Logger.getLogger(ContinuationGuard.class);
    private static final TypeLiteral<Uni<Void>> TYPE = new TypeLiteral<>() {
    };

    @Inject
    HandoffRuntimeConfig config;

    @Inject
    CloudConditions conditions;

    /**
     * The most chunks held for a subscriber slower than the cloud (more than any answer the plans allow has): a cloud
     * that floods a slow client fails its answer instead of filling the heap.
     */
    static final int MAX_BUFFERED_CHUNKS = 4096;

    private volatile TypedGuard<Uni<Void>> guard;
    private final AtomicInteger generation = new AtomicInteger();

    /** Observes the attempts of one guarded continuation. */
    public interface Listener {
        /** An attempt (a cloud request) starts; {@code attempt} counts from 1. */
        void attempt(int attempt);
    }

    /**
     * A failure that no other attempt may mend: text of the answer already reached the user, or the cloud asked to
     * wait longer than the plan's deadline leaves. It still counts against the cloud as its cause does.
     */
    static final class NotRetried extends RuntimeException {
        NotRetried(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    @PostConstruct
    void init() {
        guard = build(generation.incrementAndGet());
    }

    /**
     * Forgets the breaker's state and marks the cloud reachable: for tests and operators after an outage was fixed.
     */
    public void reset() {
        guard = build(generation.incrementAndGet());
        conditions.setCloudReachable(true);
    }

    private TypedGuard<Uni<Void>> build(int gen) {
        TypedGuard.Builder<Uni<Void>> builder = TypedGuard.create(TYPE)
                .withDescription("quarkus-handoff cloud continuation")
                .withThreadOffload(false);
        CloudContinuationConfig.Retry retry = config.continuator().retry();
        if (retry.maxRetries() > 0) {
            long delayMs = Math.max(0, retry.delay().toMillis());
            builder.withRetry()
                    .maxRetries(retry.maxRetries())
                    .delay(delayMs, ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .whenException(ContinuationGuard::retryable)
                    .withCustomBackoff().strategy(() -> new RetryAfterBackoff(delayMs)).done()
                    .done();
        }
        CloudContinuationConfig.CircuitBreaker breaker = config.continuator().circuitBreaker();
        if (breaker.enabled()) {
            builder.withCircuitBreaker()
                    .requestVolumeThreshold(breaker.requestVolumeThreshold())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(breaker.successThreshold())
                    .when(ContinuationGuard::countsAgainstTheCloud)
                    .onStateChange(state -> stateChanged(gen, state))
                    .done();
        }
        return builder.build();
    }

    /** Waits what the cloud asked for ({@code Retry-After}) before a retry, else the configured delay. */
    private record RetryAfterBackoff(long delayMs) implements CustomBackoffStrategy {
        @Override
        public long nextDelayInMillis(Throwable failure) {
            return failure instanceof CloudContinuationException named
                    ? named.retryAfter().map(Duration::toMillis).orElse(delayMs)
                    : delayMs;
        }
    }

    private void stateChanged(int gen, CircuitBreakerState state) {
        if (gen != generation.get()) {
            return; // a breaker that was reset away
        }
        switch (state) {
            case OPEN -> {
                Duration delay = config.continuator().circuitBreaker().delay();
                LOG.warnf("The cloud continuator's circuit breaker opened: replies are written on the device for %s",
                        delay);
                conditions.setCloudReachable(false);
                // the breaker half-opens lazily, on the next call: let the next plan make that call
                Uni.createFrom().voidItem().onItem().delayIt().by(delay).subscribe().with(ignored -> {
                    if (gen == generation.get()) {
                        conditions.setCloudReachable(true);
                    }
                });
            }
            case CLOSED -> {
                LOG.info("The cloud continuator's circuit breaker closed: the cloud continues replies again");
                conditions.setCloudReachable(true);
            }
            default -> {
            }
        }
    }

    /**
     * Retry what may work on a second try: a connection that failed, an error event before any text, a 5xx, 408 or 429;
     * not a timeout (it already used the deadline), not another client error, never once text was shown.
     */
    static boolean retryable(Throwable failure) {
        if (failure instanceof NotRetried) {
            return false;
        }
        if (failure instanceof CloudContinuationException named) {
            return named.retryable();
        }
        if (failure instanceof CircuitBreakerOpenException || failure instanceof CancellationException) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpException http) {
                return CloudContinuationException.retryableStatus(http.statusCode());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return true;
    }

    /**
     * Whether a failed call counts towards opening the breaker: not a handoff the user cancelled, not a conversation
     * the cloud refused as too long; neither says anything about the cloud's health. Everything else does, whenever it
     * happened: before the first token or in the middle of the answer.
     */
    static boolean countsAgainstTheCloud(Throwable failure) {
        Throwable cause = unwrap(failure);
        return !(cause instanceof CancellationException) && CloudContinuationException.of(cause, false)
                .kind() != CloudContinuationException.Kind.CONVERSATION_TOO_LONG;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof NotRetried notRetried ? notRetried.getCause() : failure;
    }

    /**
     * Streams a cloud continuation under the guard.
     *
     * @param source starts one attempt (one cloud request) each time it is called
     * @param firstTokenDeadline how long the first token may take, counted from the first attempt, across retries
     * @param listener told of each attempt
     * @return the continuation; cancelling it cancels whichever attempt is in flight, or the wait before a retry
     */
    public Multi<String> stream(Supplier<Multi<String>> source, Duration firstTokenDeadline, Listener listener) {
        Duration idle = config.continuator().idleTimeout();
        return Multi.createFrom().emitter(emitter -> {
            Attempts attempts = new Attempts(source, firstTokenDeadline, idle, listener, emitter);
            TypedGuard<Uni<Void>> current = guard;
            Cancellable call = Uni.createFrom().deferred(() -> {
                try {
                    return current.call(attempts::next);
                } catch (Exception e) {
                    return Uni.createFrom().failure(e);
                }
            }).subscribe().with(ignored -> emitter.complete(), failure -> {
                if (!attempts.cancelled) {
                    emitter.fail(unwrap(failure));
                }
            });
            emitter.onTermination(() -> {
                if (attempts.cancel()) {
                    call.cancel(); // also a wait before a retry
                }
            });
        }, MAX_BUFFERED_CHUNKS);
    }

    /** The attempts of one continuation: each is one cloud request, bounded by what is left of the deadline. */
    private static final class Attempts {
        private final Supplier<Multi<String>> source;
        private final Duration deadline;
        private final Duration idle;
        private final Listener listener;
        private final MultiEmitter<? super String> out;
        private final long startNanos = System.nanoTime();
        private final AtomicInteger count = new AtomicInteger();
        private final AtomicReference<Attempt> current = new AtomicReference<>();
        private volatile boolean cancelled;
        private volatile boolean ended;

        Attempts(Supplier<Multi<String>> source, Duration deadline, Duration idle, Listener listener,
                MultiEmitter<? super String> out) {
            this.source = source;
            this.deadline = deadline;
            this.idle = idle;
            this.listener = listener;
            this.out = out;
        }

        Uni<Void> next() {
            if (cancelled) {
                return Uni.createFrom().failure(new CancellationException("handoff cancelled"));
            }
            long left = leftNanos();
            if (left <= 0) {
                return Uni.createFrom().failure(timeout());
            }
            listener.attempt(count.incrementAndGet());
            return Uni.createFrom().emitter(result -> {
                Attempt attempt = new Attempt(result);
                current.set(attempt);
                if (cancelled) {
                    attempt.cancel();
                    return;
                }
                attempt.start(left);
            });
        }

        private long leftNanos() {
            return deadline.toNanos() - (System.nanoTime() - startNanos);
        }

        private CloudContinuationException timeout() {
            return new CloudContinuationException(CloudContinuationException.Kind.FIRST_TOKEN_TIMEOUT,
                    "the cloud sent no first token within " + deadline.toMillis()
                            + " ms (the plan's cloudFirstTokenDeadlineMs)");
        }

        private CloudContinuationException stalled() {
            return new CloudContinuationException(CloudContinuationException.Kind.STALLED,
                    "the cloud's continuation stalled: no text for " + idle.toMillis()
                            + " ms (quarkus.handoff.continuator.idle-timeout)");
        }

        /**
         * The caller went away, or the continuation ended: ends the attempt in flight (the guard sees it end as
         * cancelled, which the breaker does not count). Returns whether the continuation had not ended yet.
         */
        boolean cancel() {
            if (ended) {
                return false;
            }
            cancelled = true;
            Attempt attempt = current.get();
            if (attempt != null) {
                attempt.cancel();
            }
            return true;
        }

        /** One cloud request: its text goes to the caller as it comes; it ends (for the guard) when its stream does. */
        private final class Attempt implements MultiSubscriber<String> {
            private final UniEmitter<? super Void> result;
            private final AtomicReference<Flow.Subscription> upstream = new AtomicReference<>();
            private final AtomicBoolean done = new AtomicBoolean();
            private volatile boolean started;
            private volatile ScheduledFuture<?> timer;

            Attempt(UniEmitter<? super Void> result) {
                this.result = result;
            }

            void start(long firstTokenNanos) {
                schedule(firstTokenNanos, Attempts.this::timeout);
                source.get().subscribe().withSubscriber(this);
            }

            /** Fails the attempt with {@code failure} if no item arrives before the delay. */
            private void schedule(long delayNanos, Supplier<CloudContinuationException> failure) {
                ScheduledFuture<?> previous = timer;
                if (previous != null) {
                    previous.cancel(false);
                }
                timer = Infrastructure.getDefaultWorkerPool().schedule(() -> {
                    if (end()) {
                        cancelUpstream();
                        result.fail(started ? new NotRetried(failure.get()) : failure.get());
                    }
                }, delayNanos, TimeUnit.NANOSECONDS);
            }

            /** Ends the attempt once; returns whether this call did. */
            private boolean end() {
                if (!done.compareAndSet(false, true)) {
                    return false;
                }
                ScheduledFuture<?> pending = timer;
                if (pending != null) {
                    pending.cancel(false);
                }
                return true;
            }

            private void cancelUpstream() {
                Flow.Subscription subscription = upstream.getAndSet(null);
                if (subscription != null) {
                    subscription.cancel();
                }
            }

            void cancel() {
                if (end()) {
                    cancelUpstream();
                    // let the guard see the attempt end, so that the breaker never waits on it
                    result.fail(new CancellationException("handoff cancelled"));
                }
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                upstream.set(subscription);
                if (done.get()) {
                    cancelUpstream();
                    return;
                }
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onItem(String item) {
                if (done.get()) {
                    return;
                }
                started = true;
                schedule(idle.toNanos(), Attempts.this::stalled);
                out.emit(item);
            }

            @Override
            public void onFailure(Throwable failure) {
                if (end()) {
                    upstream.set(null);
                    result.fail(started ? new NotRetried(failure) : notRetriedPastTheDeadline(failure));
                }
            }

            @Override
            public void onCompletion() {
                if (end()) {
                    upstream.set(null);
                    if (started) {
                        ended = true;
                        result.complete(null);
                    } else {
                        result.fail(new CloudContinuationException(CloudContinuationException.Kind.EMPTY,
                                "the cloud ended its answer without any text"));
                    }
                }
            }

            /** A cloud that asks to wait longer than the deadline leaves is not tried again: the wait is the answer. */
            private Throwable notRetriedPastTheDeadline(Throwable failure) {
                if (failure instanceof CloudContinuationException named && named.retryAfter()
                        .filter(wait -> wait.toNanos() >= leftNanos()).isPresent()) {
                    return new NotRetried(failure);
                }
                return failure;
            }
        }
    }
}
