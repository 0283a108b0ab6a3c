package io.quarkiverse.handoff.deployment.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * A graph optimization level ONNX Runtime does not have fails the application's startup, and the message names the
 * property and the levels there are.
 */
class InvalidGraphOptimizationLevelTest {

    static final Pattern ALLOWED_VALUES = Pattern.compile("allowed values: ([a-z,-]+)");

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.handoff.opener.graph-optimization-level", "fast")
            .assertException(failure -> {
                String message = failure.getMessage();
                assertThat(message).contains("quarkus.handoff.opener.graph-optimization-level").contains("\"fast\"");
                Matcher allowed = ALLOWED_VALUES.matcher(message);
                assertThat(allowed.find()).as("the message lists the allowed values: %s", message).isTrue();
                assertThat(allowed.group(1).split(",")).containsExactlyInAnyOrder("none", "basic", "extended", "all");
            });

    @Test
    void startupFails() {
        // the assertion is in assertException
    }
}
