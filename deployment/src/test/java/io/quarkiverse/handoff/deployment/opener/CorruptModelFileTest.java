package io.quarkiverse.handoff.deployment.opener;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.ErrorEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A model directory that is complete but whose ONNX file is not a model passes the build (which checks only that the
 * files are there) and fails when ONNX Runtime opens it at run time: readiness is then DOWN with the error.
 */
class CorruptModelFileTest {

    static final String CHECK = "checks.find { it.name == 'Handoff opener model' }";

    /** A fixed path: the test class is loaded twice (JUnit's and Quarkus's class loaders) and both must agree. */
    static final Path MODEL_DIR = demoModelWithCorruptOnnx(Path.of("target", "test-models", "corrupt-onnx"));

    static Path demoModelWithCorruptOnnx(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String file : new String[] { "config.json", "tokenizer.json", "tokenizer_config.json" }) {
                try (InputStream in = CorruptModelFileTest.class.getClassLoader()
                        .getResourceAsStream("handoff/demo-model/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the demo model has no " + file + " on the test class path");
                    }
                    Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(dir.resolve("model.onnx"), "these bytes are not an ONNX model");
            return dir.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.handoff.opener.model", MODEL_DIR.toString());

    @Inject
    OnnxOpener opener;

    @Inject
    Handoff handoff;

    @Test
    void readinessIsDownWithTheLoadingError() {
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> opener.failure().isPresent());
        assertThat(opener.isReady()).isFalse();

        given().when().get("/q/health/ready").then().statusCode(503)
                .body(CHECK + ".status", equalTo("DOWN"))
                .body(CHECK + ".data.error", allOf(containsString("model.onnx"),
                        containsString("is not a loadable ONNX model")))
                .body(CHECK + ".data.status", equalTo(null));
    }

    @Test
    void aHandoffEndsWithAnErrorThatNamesNeitherTheFileNorTheException() {
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> opener.failure().isPresent());
        List<HandoffEvent> events = handoff.run(new HandoffRequest(Conversation.of("Set a timer"), "phone",
                DeviceFacts.NONE)).collect().asList().await().atMost(Duration.ofMinutes(1));

        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(ErrorEvent.class, error -> {
            assertThat(error.code()).isEqualTo(ErrorEvent.OPENER_UNAVAILABLE);
            assertThat(error.message()).contains("opener model cannot be used").doesNotContain("model.onnx")
                    .doesNotContain(MODEL_DIR.toString()).doesNotContain("Exception");
        });
    }
}
