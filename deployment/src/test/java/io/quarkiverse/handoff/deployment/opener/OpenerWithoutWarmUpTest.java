package io.quarkiverse.handoff.deployment.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkus.test.QuarkusUnitTest;

/**
 * With quarkus.handoff.opener.warm-up=false the model is ready as soon as it is loaded, without having decoded.
 */
class OpenerWithoutWarmUpTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.handoff.opener.warm-up", "false");

    @Inject
    OnnxOpener opener;

    @Test
    void theModelIsReadyWithoutHavingDecoded() {
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(opener::isReady);
        long steps = opener.engine().await().atMost(Duration.ofSeconds(5)).forwardSteps();
        assertThat(steps).as("model steps run before any request").isZero();
    }
}
