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
 * With warm-up on (the default), the model has already decoded when readiness turns UP, before any request: the first
 * user request is not the one that pays for ONNX Runtime's first run.
 */
class OpenerWarmUpTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest();

    @Inject
    OnnxOpener opener;

    @Test
    void theModelHasDecodedBeforeTheFirstRequest() {
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(opener::isReady);
        long steps = opener.engine().await().atMost(Duration.ofSeconds(5)).forwardSteps();
        assertThat(steps).as("model steps run by the warm-up (no request was made)").isPositive();
    }
}
