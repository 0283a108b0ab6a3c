package io.quarkiverse.handoff.runtime.continuator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.quarkiverse.handoff.Continuator;

/**
 * The prompts that turn a chat model into a continuator. They live in resource files so an application can override
 * them: a resource {@code handoff/prompts/NAME} in the application wins over the extension's
 * {@code META-INF/handoff/prompts/NAME}.
 * <p>
 * Placeholders: {@code {question}}, {@code {opener}}, {@code {recovery}} and {@code {marker}} (the
 * {@link Continuator#PIVOT_MARKER pivot marker}).
 */
public final class ContinuationPrompts {

    /** System prompt of the instruction strategy. */
    public static final String SYSTEM = "continuation-system.txt";
    /** Final user turn of the instruction strategy: the question, the words already said, the recovery. */
    public static final String USER = "continuation-user.txt";
    /** System prompt of the prefill strategy (the opener is sent as the start of the assistant's own message). */
    public static final String PREFILL_SYSTEM = "prefill-system.txt";
    /** System prompt of the splice strategy (a fresh answer, spliced after the opener by the seam). */
    public static final String SPLICE_SYSTEM = "splice-system.txt";
    /**
     * Added to the splice strategy's system prompt when words were already said: what they were, and how to recover
     * if they were wrong.
     */
    public static final String SPLICE_OPENER = "splice-opener.txt";
    /** Added to every system prompt when the plan masks personal data: how to treat the placeholders. */
    public static final String MASKED_DATA_NOTE = "masked-data-note.txt";

    static final String NO_RECOVERY = "none needed unless the spoken words are wrong; then pivot gracefully";

    private final String system;
    private final String user;
    private final String prefillSystem;
    private final String spliceSystem;
    private final String spliceOpener;
    private final String maskedDataNote;

    private ContinuationPrompts(String system, String user, String prefillSystem, String spliceSystem,
            String spliceOpener, String maskedDataNote) {
        this.system = system;
        this.user = user;
        this.prefillSystem = prefillSystem;
        this.spliceSystem = spliceSystem;
        this.spliceOpener = spliceOpener;
        this.maskedDataNote = maskedDataNote;
    }

    public static ContinuationPrompts load() {
        return new ContinuationPrompts(read(SYSTEM), read(USER), read(PREFILL_SYSTEM), read(SPLICE_SYSTEM),
                read(SPLICE_OPENER), read(MASKED_DATA_NOTE));
    }

    /** The instruction strategy's system prompt. */
    public String system() {
        return marker(system);
    }

    /** The final user turn: the question, the words already said and how to recover if they went wrong. */
    public String user(String question, String opener, String recovery) {
        return marker(user.replace("{question}", question)
                .replace("{opener}", opener.strip())
                .replace("{recovery}", recovery(recovery)));
    }

    /** The prefill strategy's system prompt, with how to recover if the words already said went wrong. */
    public String prefillSystem(String recovery) {
        return marker(prefillSystem.replace("{recovery}", recovery(recovery)));
    }

    /** The splice strategy's system prompt, for an answer from scratch (no words said yet). */
    public String spliceSystem() {
        return marker(spliceSystem);
    }

    /**
     * The splice strategy's system prompt after words were said: the fresh answer is spliced after them, and it starts
     * with the pivot marker and the recovery when they were wrong.
     */
    public String spliceSystem(String opener, String recovery) {
        return marker(spliceSystem + "\n\n" + spliceOpener.replace("{opener}", opener.strip())
                .replace("{recovery}", recovery(recovery)));
    }

    /** How the model must treat the placeholders of masked personal data. */
    public String maskedDataNote() {
        return maskedDataNote;
    }

    private static String recovery(String recovery) {
        return recovery == null || recovery.isBlank() ? NO_RECOVERY : recovery;
    }

    private static String marker(String text) {
        return text.replace("{marker}", Continuator.PIVOT_MARKER);
    }

    /**
     * Reads a prompt resource: the application's {@code handoff/prompts/NAME} if present, else the extension's
     * {@code META-INF/handoff/prompts/NAME}.
     *
     * @throws IllegalStateException naming the resource when neither exists
     */
    public static String read(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("the prompt META-INF/handoff/prompts/" + name
                + " is missing from the classpath: is the quarkus-handoff jar complete? (an application may also"
                + " provide its own as the resource handoff/prompts/" + name + ")"));
    }

    /**
     * Reads the prompt {@code BASE.txt} written for a language: {@code BASE_pt-BR.txt}, else {@code BASE_pt.txt}, else
     * {@code BASE.txt}, each the application's first ({@code handoff/prompts/}), then the extension's.
     *
     * @param language an IETF language tag such as {@code en}, {@code de} or {@code pt-BR}
     */
    public static String read(String base, String language) {
        String primary = language.split("-", 2)[0];
        return find(base + "_" + language + ".txt")
                .or(() -> find(base + "_" + primary + ".txt"))
                .orElseGet(() -> read(base + ".txt"));
    }

    private static Optional<String> find(String name) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = ContinuationPrompts.class.getClassLoader();
        }
        InputStream in = cl.getResourceAsStream("handoff/prompts/" + name);
        if (in == null) {
            in = cl.getResourceAsStream("META-INF/handoff/prompts/" + name);
        }
        if (in == null) {
            return Optional.empty();
        }
        try (InputStream stream = in) {
            return Optional.of(new String(stream.readAllBytes(), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the prompt " + name, e);
        }
    }
}
