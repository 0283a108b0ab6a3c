package io.quarkiverse.handoff.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.quarkiverse.handoff.runtime.tokenizer.Tokenizer;

/** The demo opener model's tokenizer, read from the demo model jar: the one the service counts tokens with. */
final class DemoModelTokenizer {

    static final String RESOURCE = "/handoff/demo-model/tokenizer.json";

    private DemoModelTokenizer() {
    }

    static Tokenizer load() {
        try (InputStream in = DemoModelTokenizer.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test class path");
            }
            return Tokenizer.load(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
