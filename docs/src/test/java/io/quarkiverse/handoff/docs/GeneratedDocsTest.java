package io.quarkiverse.handoff.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The Antora pages' generated parts are what the build generates: the configuration reference that Quarkus's config-doc
 * tooling writes from the extension's config roots, and the project version. {@code -Dhandoff.docs.update=true}
 * rewrites the committed copies.
 */
class GeneratedDocsTest {

    static final Path GENERATED = Path.of("target/config-doc");
    static final Path INCLUDES = Path.of("modules/ROOT/pages/includes");
    static final boolean UPDATE = Boolean.getBoolean("handoff.docs.update");

    @Test
    void theConfigurationReferenceIsTheGeneratedOne() throws IOException {
        List<Path> generated;
        try (Stream<Path> files = Files.list(GENERATED)) {
            generated = files.filter(file -> file.toString().endsWith(".adoc")).sorted().toList();
        }
        assertThat(generated).as("the config-doc plugin's output").isNotEmpty();
        for (Path file : generated) {
            Path committed = INCLUDES.resolve(file.getFileName());
            String expected = Files.readString(file);
            if (UPDATE) {
                Files.writeString(committed, expected);
            }
            assertThat(committed).as("docs/%s: regenerate it with ./mvnw -B verify -pl extension,policies,"
                    + "samples/micro-model,runtime,deployment,docs -Dhandoff.docs.update=true", committed).exists();
            assertThat(Files.readString(committed)).as("docs/%s is stale: regenerate it with ./mvnw -B verify -pl "
                    + "extension,policies,samples/micro-model,runtime,deployment,docs -Dhandoff.docs.update=true",
                    committed).isEqualTo(expected);
        }
        assertThat(Files.readString(Path.of("modules/ROOT/pages/index.adoc")))
                .contains("include::includes/quarkus-handoff.adoc[");
    }

    @Test
    void thePagesNameTheProjectsVersion() throws IOException {
        String attributes = ":project-version: " + System.getProperty("handoff.version") + "\n";
        Path file = INCLUDES.resolve("attributes.adoc");
        if (UPDATE) {
            Files.writeString(file, attributes);
        }
        assertThat(Files.readString(file)).isEqualTo(attributes);
    }
}
