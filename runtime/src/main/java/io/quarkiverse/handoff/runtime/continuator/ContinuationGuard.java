package io.quarkiverse.handoff.runtime.continuator;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
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
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * SmallRye Fault Tolerance around every cloud continuation.
 * <p>
 * Fault Tolerance guards calls that produce one result ({@code Uni}), not streams, so it guards the part of the stream
 * that decides whether the cloud works: from sending the request to the first token. Each attempt is a {@code Uni} of
 * the first text chunk (holding the rest of the stream); the guard retries a failed attempt (never after text reached
 * the user, by construction) and counts attempts in a circuit breaker. The time limits are Mutiny's: the first token
 * must come within the plan's deadline, counted across retries (it differs per plan, and a Fault Tolerance timeout is
 * fixed per guard), and, once the stream started, two chunks may not be further apart than the idle timeout.
 * <p>
 * When the breaker opens, {@link CloudConditions#setCloudReachable(boolean) the cloud is marked unreachable}, so plans
 * go local-only; after the breaker's delay it is marked reachable again, so that the next plan is hybrid and its call
 * is the breaker's trial.
 */
@Singleton
public class ContinuationGuard {

    private static final Logger LOG = Logger.getLogger(ContinuationGuard.class);
    private static final TypeLiteral<Uni<Started>> TYPE = new TypeLiteral<>() {
    };

    @Inject
    CloudContinuationConfig config;

    @Inject
    CloudConditions conditions;

    private volatile TypedGuard<Uni<Started>> guard;
    private final AtomicInteger generation = new AtomicInteger();

    /** Observes the attempts of one guarded continuation. */
    public interface Listener {
        /** An attempt (a cloud request) starts; {@code attempt} counts from 1. */
        void attempt(int attempt);
    }

    /** The first chunk of an attempt, and the rest of its stream. */
    record Started(String first, Multi<String> rest) {
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

    private TypedGuard<Uni<Started>> build(int gen) {
        TypedGuard.Builder<Uni<Started>> builder = TypedGuard.create(TYPE)
                .withDescription("quarkus-handoff cloud continuation")
                .withThreadOffload(false);
        CloudContinuationConfig.Retry retry = config.retry();
        if (retry.maxRetries() > 0) {
            builder.withRetry()
                    .maxRetries(retry.maxRetries())
                    .delay(Math.max(0, retry.delay().toMillis()), ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .whenException(ContinuationGuard::retryable)
                    .done();
        }
        CloudContinuationConfig.CircuitBreaker breaker = config.circuitBreaker();
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

    private void stateChanged(int gen, CircuitBreakerState state) {
        if (gen != generation.get()) {
            return; // a breaker that was reset away
        }
        switch (state) {
            case OPEN -> {
                Duration delay = config.circuitBreaker().delay();
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
     * not a timeout (it already used the deadline), not another client error.
     */
    static boolean retryable(Throwable failure) {
        if (failure instanceof CloudContinuationException named) {
            return named.kind().retryable();
        }
        if (failure instanceof CircuitBreakerOpenException || failure instanceof CancellationException) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpException http) {
                int status = http.statusCode();
                return status >= 500 || status == 408 || status == 429;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return true;
    }

    /**
     * Whether a failed call counts towards opening the breaker: not a handoff the user cancelled, not a conversation
     * the cloud refused as too long; neither says anything about the cloud's health.
     */
    static boolean countsAgainstTheCloud(Throwable failure) {
        return !(failure instanceof CancellationException) && CloudContinuationException.of(failure, false)
                .kind() != CloudContinuationException.Kind.CONVERSATION_TOO_LONG;
    }

    /**
     * Streams a cloud continuation under the guard.
     *
     * @param source starts one attempt (one cloud request) each time it is called
     * @param firstTokenDeadline how long the first token may take, counted from the first attempt, across retries
     * @param listener told of each attempt
     * @return the continuation; cancelling it cancels whichever attempt is in flight
     */
    public Multi<String> stream(Supplier<Multi<String>> source, Duration firstTokenDeadline, Listener listener) {
        Duration idle = config.idleTimeout();
        return Multi.createFrom().deferred(() -> {
            Attempts attempts = new Attempts(source, firstTokenDeadline, listener);
            TypedGuard<Uni<Started>> current = guard;
            Uni<Started> first = Uni.createFrom().deferred(() -> {
                try {
                    return current.call(attempts::next);
                } catch (Exception e) {
                    return Uni.createFrom().failure(e);
                }
            })
                    // the attempt fails with a cancellation only because the subscriber went away (so the guard sees
                    // it end): swallow it here, before it reaches the cancelled subscriber and is dropped as an error
                    .onFailure(failure -> attempts.cancelled && failure instanceof CancellationException)
                    .recoverWithUni(() -> Uni.createFrom().nothing());
            return first
                    .onCancellation().invoke(attempts::cancel)
                    .onItem().transformToMulti(started -> Multi.createBy().concatenating().streams(
                            Multi.createFrom().item(started.first()),
                            started.rest().ifNoItem().after(idle).failWith(() -> new CloudContinuationException(
                                    CloudContinuationException.Kind.STALLED,
                                    "the cloud's continuation stalled: no text for " + idle.toMillis()
                                            + " ms (quarkus.handoff.continuator.idle-timeout)"))))
                    .onCancellation().invoke(attempts::cancel);
        });
    }

    /** The attempts of one continuation: each is one cloud request, bounded by what is left of the deadline. */
    private static final class Attempts {
        private final Supplier<Multi<String>> source;
        private final Duration deadline;
        private final Listener listener;
        private final long startNanos = System.nanoTime();
        private final AtomicInteger count = new AtomicInteger();
        private final AtomicReference<Runnable> cancelCurrent = new AtomicReference<>();
        private volatile boolean cancelled;

        Attempts(Supplier<Multi<String>> source, Duration deadline, Listener listener) {
            this.source = source;
            this.deadline = deadline;
            this.listener = listener;
        }

        Uni<Started> next() {
            if (cancelled) {
                return Uni.createFrom().failure(new CancellationException("handoff cancelled"));
            }
            long left = deadline.toNanos() - (System.nanoTime() - startNanos);
            if (left <= 0) {
                return Uni.createFrom().failure(timeout());
            }
            listener.attempt(count.incrementAndGet());
            return firstChunk(source.get())
                    .ifNoItem().after(Duration.ofNanos(left)).failWith(this::timeout);
        }

        private CloudContinuationException timeout() {
            return new CloudContinuationException(CloudContinuationException.Kind.FIRST_TOKEN_TIMEOUT,
                    "the cloud sent no first token within " + deadline.toMillis()
                            + " ms (the plan's cloudFirstTokenDeadlineMs)");
        }

        void cancel() {
            cancelled = true;
            Runnable cancel = cancelCurrent.getAndSet(null);
            if (cancel != null) {
                cancel.run();
            }
        }

        /**
         * Subscribes to the stream and completes with its first chunk and the rest of the stream. Cancelling before
         * the first chunk, or cancelling the rest, cancels the stream.
         */
        private Uni<Started> firstChunk(Multi<String> stream) {
            return Uni.createFrom().emitter(emitter -> {
                UnicastProcessor<String> rest = UnicastProcessor.create();
                AtomicReference<Flow.Subscription> upstream = new AtomicReference<>();
                AtomicBoolean started = new AtomicBoolean();
                Runnable cancelUpstream = () -> {
                    Flow.Subscription s = upstream.getAndSet(null);
                    if (s != null) {
                        s.cancel();
                    }
                };
                cancelCurrent.set(() -> {
                    cancelUpstream.run();
                    // let the guard see the attempt end, so that the breaker never waits on it
                    emitter.fail(new CancellationException("handoff cancelled"));
                });
                emitter.onTermination(() -> {
                    if (!started.get()) {
                        cancelUpstream.run();
                    }
                });
                stream.subscribe().withSubscriber(new MultiSubscriber<String>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        upstream.set(subscription);
                        subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onItem(String item) {
                        if (started.compareAndSet(false, true)) {
                            emitter.complete(new Started(item, rest.onCancellation().invoke(cancelUpstream)));
                        } else {
                            rest.onNext(item);
                        }
                    }

                    @Override
                    public void onFailure(Throwable failure) {
                        if (started.get()) {
                            rest.onError(failure);
                        } else {
                            emitter.fail(failure);
                        }
                    }

                    @Override
                    public void onCompletion() {
                        if (started.compareAndSet(false, true)) {
                            emitter.fail(new CloudContinuationException(CloudContinuationException.Kind.EMPTY,
                                    "the cloud ended its answer without any text"));
                        } else {
                            rest.onComplete();
                        }
                    }
                });
            });
        }
    }
}
