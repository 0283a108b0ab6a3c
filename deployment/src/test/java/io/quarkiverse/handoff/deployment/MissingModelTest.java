package io.quarkiverse.handoff.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A configured opener model that is not there fails the build, and the message says which property to set.
 */
class MissingModelTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.handoff.opener.model", "classpath:no/such/model")
            .assertException(failure -> {
                Throwable root = BuildFailures.configurationError(failure);
                assertThat(root).isInstanceOf(ConfigurationException.class);
                assertThat(root.getMessage())
                        .contains("classpath:no/such/model")
                        .contains("model.onnx")
                        .contains("quarkus.handoff.opener.model")
                        .contains("quarkus-handoff-demo-model");
            });

    @Test
    void buildFails() {
        // the assertion is in assertException: this method only makes JUnit run the extension
    }
}
