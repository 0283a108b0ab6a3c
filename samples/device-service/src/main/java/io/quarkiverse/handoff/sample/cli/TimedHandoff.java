package io.quarkiverse.handoff.sample.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.enterprise.inject.Instance;

import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Runs one handoff to its end for a command: every event is handed over as it arrives, stamped with the time the
 * command received it (what the user perceives), and the whole handoff is bounded by a time limit.
 */
final class TimedHandoff {

    /** An event and when it reached the command, in milliseconds since the handoff was asked for. */
    record TimedEvent(HandoffEvent event, double receivedMs) {
    }

    private TimedHandoff() {
    }

    /**
     * Runs the handoff and waits for its last event.
     *
     * @param onEvent called for each event, in order, on the thread that produced it
     * @param limitOption the command's option that sets the limit, named in the error when the limit is reached
     * @return every event, in order
     * @throws IllegalArgumentException when the request is refused (such as an unknown profile)
     * @throws IllegalStateException when the handoff did not finish within the limit or its stream failed
     */
    static List<TimedEvent> run(Handoff handoff, HandoffRequest request, Duration limit, String limitOption,
            Consumer<TimedEvent> onEvent) {
        long start = System.nanoTime();
        List<TimedEvent> events = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(1);
        Cancellable subscription = handoff.run(request).subscribe().with(event -> {
            TimedEvent timed = new TimedEvent(event, HandoffClock.toMillis(System.nanoTime() - start));
            events.add(timed);
            onEvent.accept(timed);
        }, error -> {
            failure.set(error);
            finished.countDown();
        }, finished::countDown);
        try {
            if (!finished.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                subscription.cancel();
                throw new IllegalStateException("the handoff did not finish within "
                        + BenchCommand.seconds(limit.toMillis() / 1000.0) + " s: is the cloud reachable? Raise the limit with "
                        + limitOption + " SECONDS");
            }
        } catch (InterruptedException e) {
            subscription.cancel();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the handoff");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the handoff failed: " + CliErrors.message(failure.get()), failure.get());
        }
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * Waits until the on-device opener model is loaded and warmed (what the service's readiness waits for), so that
     * the handoff's timings are those of a serving device, not of a cold start. An opener that cannot load is left to
     * the handoff, which reports it.
     */
    static void awaitOpener(Instance<OnnxOpener> opener, Duration limit, String limitOption) {
        if (!opener.isResolvable()) {
            return; // the application replaced the opener: nothing to wait for
        }
        try {
            opener.get().engine().await().atMost(limit);
        } catch (io.smallrye.mutiny.TimeoutException e) {
            throw new IllegalStateException("the opener model did not load within "
                    + BenchCommand.seconds(limit.toMillis() / 1000.0) + " s: raise the limit with " + limitOption
                    + " SECONDS");
        } catch (RuntimeException e) {
            // reported by the handoff itself, as an error event
        }
    }
}
