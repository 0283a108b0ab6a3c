package io.quarkiverse.handoff.sample.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A plain English word list (SCOWL size 35, about 40,000 lower-case words, in {@value #RESOURCE}) and the
 * contractions and possessives of its words: what the eval counts as a real word.
 */
public final class PlainEnglish {

    static final String RESOURCE = "/eval/plain-english-words.txt";

    /** Contractions whose stem is no word of its own. */
    private static final Set<String> IRREGULAR_NEGATIONS = Set.of("can't", "won't", "shan't", "ain't");

    private final Set<String> words;

    private PlainEnglish(Set<String> words) {
        this.words = words;
    }

    public static PlainEnglish load() {
        try (InputStream in = PlainEnglish.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the word list " + RESOURCE + " is missing from the application");
            }
            Set<String> words = new HashSet<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) {
                    words.add(word);
                }
            }
            return new PlainEnglish(Set.copyOf(words));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a word (any case, straight or curly apostrophe) is a plain English word or its contraction. */
    public boolean contains(String word) {
        String lower = word.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        if (words.contains(lower)) {
            return true;
        }
        if (IRREGULAR_NEGATIONS.contains(lower)) {
            return true;
        }
        String stem = lower.replaceFirst("(n't|'s|'re|'ve|'ll|'d|'m|s')$", "");
        return !stem.equals(lower) && !stem.isEmpty() && (words.contains(stem) || stem.equals("i"));
    }

    /** How many words the list holds, for the report. */
    public int size() {
        return words.size();
    }
}
