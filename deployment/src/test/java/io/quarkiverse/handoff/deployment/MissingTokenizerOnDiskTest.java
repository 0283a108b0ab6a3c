package io.quarkiverse.handoff.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A model directory on disk with the ONNX file but no tokenizer.json fails the build naming the missing file.
 */
class MissingTokenizerOnDiskTest {

    static final Path MODEL_DIR = modelWithoutTokenizer();

    static Path modelWithoutTokenizer() {
        try {
            Path dir = Files.createTempDirectory("handoff-model-without-tokenizer");
            Files.writeString(dir.resolve("model.onnx"), "not used");
            Files.writeString(dir.resolve("config.json"), "{}");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.handoff.opener.model", MODEL_DIR.toString())
            .assertException(failure -> {
                Throwable root = BuildFailures.configurationError(failure);
                assertThat(root).isInstanceOf(ConfigurationException.class);
                assertThat(root.getMessage()).contains("tokenizer.json").contains(MODEL_DIR.toString())
                        .contains("quarkus.handoff.opener.model");
            });

    @Test
    void buildFails() {
        // the assertion is in assertException
    }
}
