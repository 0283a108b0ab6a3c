package io.quarkiverse.handoff.deployment.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.handoff.runtime.opener.OpenerModelLoading;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A request that gives up while the opener model is still loading (a client that went away, a timeout) leaves the
 * loading alone: the model still becomes ready for everyone else.
 */
class OpenerLoadingTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(ImpatientClient.class));

    /** As the opener starts loading (on its loading thread), asks for the model and gives up at once. */
    @Singleton
    public static class ImpatientClient {
        final AtomicBoolean gaveUpWhileLoading = new AtomicBoolean();
        /** Counted down once the observer ran: it runs on the loading thread, not the test's. */
        final CountDownLatch observed = new CountDownLatch(1);

        void onLoading(@Observes OpenerModelLoading loading, OnnxOpener opener) {
            boolean stillLoading = !opener.isReady();
            opener.engine().subscribe().with(loaded -> {
            }, failure -> {
            }).cancel();
            gaveUpWhileLoading.set(stillLoading);
            observed.countDown();
        }
    }

    @Inject
    OnnxOpener opener;

    @Inject
    ImpatientClient client;

    @Test
    void aRequestGivenUpWhileTheModelLoadsDoesNotStopTheLoading() throws InterruptedException {
        assertThat(client.observed.await(1, TimeUnit.MINUTES)).as("the loading stage was observed").isTrue();
        assertThat(client.gaveUpWhileLoading).as("the client gave up before the model was ready").isTrue();
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(opener::isReady);
        assertThat(opener.failure()).isEmpty();
    }
}
