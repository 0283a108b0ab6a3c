package io.quarkiverse.handoff.runtime.continuator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The prompts that turn a chat model into a continuator. They live in resource files so an application can override
 * them: a resource {@code handoff/prompts/NAME} in the application wins over the extension's
 * {@code META-INF/handoff/prompts/NAME}.
 */
public final class ContinuationPrompts {

    public static final String SYSTEM = "continuation-system.txt";
    public static final String USER = "continuation-user.txt";

    static final String NO_RECOVERY = "none needed unless the spoken words are wrong; then pivot gracefully";

    private final String system;
    private final String user;

    private ContinuationPrompts(String system, String user) {
        this.system = system;
        this.user = user;
    }

    public static ContinuationPrompts load() {
        return new ContinuationPrompts(read(SYSTEM), read(USER));
    }

    public String system() {
        return system;
    }

    /** The final user turn: the question, the words already said and how to recover if they went wrong. */
    public String user(String question, String opener, String recovery) {
        return user.replace("{question}", question)
                .replace("{opener}", opener.strip())
                .replace("{recovery}", recovery == null || recovery.isBlank() ? NO_RECOVERY : recovery);
    }

    private static String read(String name) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        InputStream in = cl.getResourceAsStream("handoff/prompts/" + name);
        if (in == null) {
            in = cl.getResourceAsStream("META-INF/handoff/prompts/" + name);
        }
        if (in == null) {
            throw new IllegalStateException("the continuation prompt META-INF/handoff/prompts/" + name
                    + " is missing from the classpath: is the quarkus-handoff jar complete?");
        }
        try (InputStream stream = in) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the continuation prompt " + name, e);
        }
    }
}
