package io.quarkiverse.handoff.deployment.opener;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.handoff.runtime.opener.OpenerModelLoading;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Readiness is DOWN, saying the model is loading, for as long as the opener model loads, and UP once it is loaded and
 * warmed. The loading is held at its start by an observer of {@link OpenerModelLoading} until the test lets it go.
 */
class OpenerReadinessTest {

    static final String CHECK = "checks.find { it.name == 'Handoff opener model' }";

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(LoadingGate.class));

    /** Holds the opener's loading thread at the loading stage until {@link #open()}. */
    @Singleton
    public static class LoadingGate {
        private final CountDownLatch gate = new CountDownLatch(1);
        private final CountDownLatch reached = new CountDownLatch(1);

        void hold(@Observes OpenerModelLoading loading) throws InterruptedException {
            reached.countDown();
            // bounded, so that a failing test cannot hang the loader (and the shutdown waiting for it) forever
            gate.await(2, TimeUnit.MINUTES);
        }

        boolean awaitLoadingStarted() throws InterruptedException {
            return reached.await(1, TimeUnit.MINUTES);
        }

        void open() {
            gate.countDown();
        }
    }

    @Inject
    LoadingGate gate;

    @Inject
    OnnxOpener opener;

    @AfterEach
    void letTheLoadingFinish() {
        gate.open();
    }

    @Test
    void readinessIsDownWhileTheModelLoadsAndUpOnceItIsLoaded() throws InterruptedException {
        assertThat(gate.awaitLoadingStarted()).as("the opener started loading its model").isTrue();

        given().when().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body(CHECK + ".status", equalTo("DOWN"))
                .body(CHECK + ".data.status", equalTo("loading"));

        gate.open();
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(opener::isReady);

        given().when().get("/q/health/ready").then().statusCode(200)
                .body(CHECK + ".status", equalTo("UP"))
                .body(CHECK + ".data.model", equalTo(opener.name()));
    }
}
