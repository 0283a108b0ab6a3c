package io.quarkiverse.handoff.it.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** docs/continuator.md shows the streaming client the tests run, as it is (less the switch the tests build it with). */
class GeminiDocumentationTest {

    static final Path GUIDE = Path.of("..", "..", "docs", "continuator.md");
    static final Path SOURCE = Path.of("src", "main", "java", "io", "quarkiverse", "handoff", "it", "gemini",
            "StreamingGeminiHttpClient.java");

    @Test
    void theGuidesGeminiListingIsTheTestedClass() throws IOException {
        String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
        Matcher listing = Pattern.compile("(?s)### Gemini\n.*?```java\n(.*?)```").matcher(guide);
        assertThat(listing.find()).as("a Java listing in the Gemini section of %s", GUIDE).isTrue();
        String tested = Files.readString(SOURCE, StandardCharsets.UTF_8).lines()
                .filter(line -> !line.contains("IfBuildProperty"))
                .collect(Collectors.joining("\n", "", "\n"));
        assertThat(listing.group(1)).as("the listing in %s, equal to %s", GUIDE, SOURCE).isEqualTo(tested);
    }
}
