package io.quarkiverse.handoff.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * The extension's descriptor, as Quarkus tooling (the extension catalog, {@code quarkus ext list}, code.quarkus.io)
 * reads it from the runtime jar: the metadata a Quarkiverse extension publishes, completed by the build.
 */
class ExtensionDescriptorTest {

    @Test
    void theRuntimeJarDescribesTheExtension() throws IOException {
        String descriptor;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/quarkus-extension.yaml")) {
            assertThat(in).as("META-INF/quarkus-extension.yaml in the runtime jar").isNotNull();
            descriptor = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(descriptor).contains("artifact: \"io.quarkiverse.handoff:quarkus-handoff::jar:",
                "name: \"Handoff\"", "description: \"Instant replies on the device", "guide: \"https://",
                "status: \"preview\"", "- \"ai\"", "- \"quarkus.handoff.\"",
                // filled in by the build from the pom and the extension's dependencies
                "requires-quarkus-core:", "- \"io.quarkiverse.langchain4j:quarkus-langchain4j-core\"",
                "- \"org.drools:drools-quarkus\"");
    }
}
