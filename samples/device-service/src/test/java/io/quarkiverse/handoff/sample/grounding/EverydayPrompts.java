package io.quarkiverse.handoff.sample.grounding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.runtime.opener.OpenerEngine;
import io.quarkiverse.handoff.runtime.opener.OpenerStop;
import io.quarkiverse.handoff.runtime.opener.OpenerTranscript;
import io.quarkiverse.handoff.sample.eval.OpenerChecks;

/**
 * The everyday prompts of {@code everyday-prompts.tsv} and a check of what an opener says, written apart from the
 * grounding guard (simpler, and numbers and names only) so that it can catch the guard's mistakes.
 */
final class EverydayPrompts {

    static final List<String> PROFILES = List.of("watch", "glasses", "earbuds", "phone", "desktop");
    static final Set<String> SPEECH_PROFILES = Set.of("watch", "glasses", "earbuds");

    private EverydayPrompts() {
    }

    /**
     * @param wrong finds content that is wrong for this prompt beyond ungrounded facts; null when none was seen
     */
    record Prompt(String group, String text, Pattern wrong) {

        /** Whether the opener says something wrong for this prompt (other than an ungrounded fact). */
        boolean saysWrong(String opener) {
            return wrong != null && !opener.isBlank() && wrong.matcher(opener.strip()).find();
        }

        /** The index of the word where wrong content starts, or -1. */
        int firstWrongWord(List<OpenerWord> words) {
            if (wrong == null || words.isEmpty()) {
                return -1;
            }
            StringBuilder text = new StringBuilder();
            words.forEach(w -> text.append(w.text()));
            String stripped = text.toString().stripLeading();
            Matcher found = wrong.matcher(stripped);
            if (!found.find()) {
                return -1;
            }
            int offset = found.start() + text.length() - stripped.length();
            int end = 0;
            for (int i = 0; i < words.size(); i++) {
                end += words.get(i).text().length();
                if (offset < end) {
                    return i;
                }
            }
            return words.size() - 1;
        }
    }

    /** One opener as the engine wrote it. */
    record Opened(List<OpenerWord> words, OpenerStop stop) {
        String text() {
            StringBuilder text = new StringBuilder();
            words.forEach(w -> text.append(w.text()));
            return text.toString().strip();
        }
    }

    static List<Prompt> load() {
        try (InputStream in = EverydayPrompts.class.getResourceAsStream("/everyday-prompts.tsv")) {
            List<Prompt> prompts = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", -1);
                prompts.add(new Prompt(columns[0], columns[1],
                        columns[2].isBlank() ? null : Pattern.compile(columns[2])));
            }
            return prompts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Opened open(OpenerEngine engine, String prompt, HandoffPlan plan) {
        OpenerTranscript transcript = new OpenerTranscript();
        engine.open(Conversation.of(prompt).messages(), plan, 48, Duration.ofDays(1), HandoffClock.start(),
                transcript, () -> false);
        return new Opened(List.copyOf(transcript.words()), transcript.stop());
    }

    /**
     * Names the demo model writes for these prompts without the guard (samples/micro-model/bench/opener-grounding.md):
     * a capital at the start of a sentence says nothing, so these are checked wherever they stand.
     */
    static final Set<String> INVENTED_NAMES = Set.of("lima", "mars", "noah", "michelangelo", "alexander", "paula",
            "ravi", "rome", "wen", "melbourne", "europe", "ines", "delhi", "austen");

    /**
     * The words of an opener that state a number or a name the conversation does not contain
     * ({@link OpenerChecks#ungroundedFacts}), and the {@link #INVENTED_NAMES} anywhere.
     */
    static List<String> ungroundedFacts(List<String> words, String conversation) {
        return OpenerChecks.ungroundedFacts(words, conversation,
                core -> INVENTED_NAMES.contains(core.toLowerCase(Locale.ROOT).replaceAll("'s$", "")));
    }

    /** The capitalized words that start a sentence of an opener and that the conversation does not contain. */
    static List<String> ungroundedSentenceStarts(List<String> words, String conversation) {
        Set<String> known = new HashSet<>();
        for (String token : conversation.split("\\s+")) {
            known.add(core(token).toLowerCase(Locale.ROOT));
        }
        List<String> starts = new ArrayList<>();
        String previous = null;
        for (String word : words) {
            String core = core(word);
            boolean sentenceStart = previous == null || previous.strip().matches(".*[.!?:][\"”]?$");
            previous = word;
            if (sentenceStart && !core.isEmpty() && Character.isUpperCase(core.charAt(0))
                    && !known.contains(core.toLowerCase(Locale.ROOT))
                    && !List.of("i", "i'm", "i'll", "i've", "i'd").contains(core.toLowerCase(Locale.ROOT))) {
                starts.add(core);
            }
        }
        return starts;
    }

    private static String core(String word) {
        return word.strip().replace('\u2019', '\'').replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$", "");
    }
}
