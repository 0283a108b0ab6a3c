package io.quarkiverse.handoff.deployment.continuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Cancelling a guarded cloud call before its first token (the user went away, or a speculative answer was not needed)
 * cancels the request and is not a failure: nothing reaches the subscriber, Mutiny drops (and logs) no exception, and
 * the circuit breaker does not count it.
 */
class ContinuationGuardCancelTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addAsResource(new StringAsset(String.join("\n",
                    "quarkus.handoff.opener.enabled=false",
                    "quarkus.handoff.continuator.circuit-breaker.request-volume-threshold=2",
                    "quarkus.handoff.continuator.circuit-breaker.failure-ratio=0.5",
                    "")), "application.properties"));

    @Inject
    ContinuationGuard guard;

    final List<Throwable> dropped = new CopyOnWriteArrayList<>();

    @AfterEach
    void restoreTheDroppedExceptionHandler() {
        Infrastructure.resetDroppedExceptionHandler();
    }

    @Test
    void aCancelBeforeTheFirstTokenCancelsTheRequestAndSurfacesNoFailure() {
        Infrastructure.setDroppedExceptionHandler(dropped::add);
        for (int call = 1; call <= 3; call++) {
            AtomicInteger attempts = new AtomicInteger();
            AtomicBoolean requestCancelled = new AtomicBoolean();
            List<Object> received = new CopyOnWriteArrayList<>();
            Cancellable subscription = guard.stream(
                    () -> Multi.createFrom().<String> nothing().onCancellation().invoke(() -> requestCancelled.set(true)),
                    Duration.ofSeconds(10), attempt -> attempts.incrementAndGet())
                    .subscribe().with(received::add, received::add, () -> received.add("completed"));
            await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
            subscription.cancel();

            await().atMost(Duration.ofSeconds(5)).untilTrue(requestCancelled);
            assertThat(received).as("call %d: nothing reaches a subscriber that went away", call).isEmpty();
            assertThat(attempts).as("call %d: a cancel is not retried", call).hasValue(1);
        }
        assertThat(dropped).as("no dropped failure is logged for a cancel").isEmpty();

        // three cancels in a row did not open the breaker: the next call reaches the cloud
        List<String> text = guard.stream(() -> Multi.createFrom().items("Ten", " minutes."), Duration.ofSeconds(5),
                attempt -> {
                }).collect().asList().await().atMost(Duration.ofSeconds(5));
        assertThat(text).containsExactly("Ten", " minutes.");
    }
}
