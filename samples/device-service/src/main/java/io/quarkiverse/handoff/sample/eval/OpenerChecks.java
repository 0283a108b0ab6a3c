package io.quarkiverse.handoff.sample.eval;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkiverse.handoff.runtime.text.EnglishWords;

/**
 * Checks of what an opener says that need no judge: numbers and names the conversation does not contain, made-up
 * words, words said twice in a row. Written apart from the runtime's grounding guard (simpler, numbers and names only)
 * so that they can catch the guard's mistakes.
 */
public final class OpenerChecks {

    /** A word with its leading whitespace, as an opener's words come. */
    private static final Pattern WORD = Pattern.compile("\\s*\\S+");
    private static final Pattern DIGITS = Pattern.compile("\\d[\\d,]*(?:\\.\\d+)?");
    /** A number with a unit, an ordinal or a clock time: "10th", "5km", "6:30pm", "1990s". */
    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile(
            "\\d[\\d,.:]*(?:st|nd|rd|th|s|am|pm|k|m|km|kg|g|lb|lbs|mph|mm|cm|ml|h|min|mins|x)?",
            Pattern.CASE_INSENSITIVE);

    /** The marks of a clock time, capitalized or not: never a name ("6:30 AM"). */
    private static final Set<String> CLOCK_MARKS = Set.of("am", "pm", "a.m", "p.m");

    private OpenerChecks() {
    }

    /**
     * The words of an opener that state a number or a name the conversation does not contain: digits, number words,
     * capitalized words that do not start a sentence (not "I"), and anywhere the words {@code alwaysAName} takes for
     * a name. "ten" is grounded by "10" and the other way round.
     *
     * @param alwaysAName whether a word (without surrounding punctuation, as written) is a name wherever it stands,
     *        even at the start of a sentence where a capital says nothing
     */
    public static List<String> ungroundedFacts(List<String> words, String conversation,
            Predicate<String> alwaysAName) {
        Grounding known = new Grounding(conversation);
        List<String> facts = new ArrayList<>();
        String previous = null;
        for (String word : words) {
            if (known.isUngroundedFact(word, previous, alwaysAName)) {
                facts.add(word.strip());
            }
            previous = word;
        }
        return facts;
    }

    /**
     * The words of an opener that are no plain English word: lower-case words outside the word list, the
     * conversation and the number words, and words that glue letters to digits ("twelve10"; a number with a unit
     * such as "5km" or "6:30pm" is fine). Capitalized words are left to {@link #ungroundedFacts}: they may be names.
     */
    public static List<String> madeUpWords(List<String> words, String conversation, PlainEnglish plain) {
        Grounding known = new Grounding(conversation);
        List<String> madeUp = new ArrayList<>();
        for (String word : words) {
            String core = core(word);
            if (core.isEmpty() || core.chars().noneMatch(Character::isLetter)) {
                continue;
            }
            boolean bad;
            if (core.chars().anyMatch(Character::isDigit)) {
                bad = !NUMBER_WITH_UNIT.matcher(core).matches();
            } else if (Character.isUpperCase(core.charAt(0))) {
                bad = false;
            } else {
                bad = false;
                for (String part : core.split("[-/]")) {
                    String lower = part.toLowerCase(Locale.ROOT);
                    if (!part.isEmpty() && !plain.contains(lower) && !known.words.contains(lower)
                            && !known.words.contains(withoutPossessive(lower))
                            && !EnglishWords.CARDINALS.containsKey(lower)) {
                        bad = true;
                    }
                }
            }
            if (bad) {
                madeUp.add(word.strip());
            }
        }
        return madeUp;
    }

    /** The words said twice in a row ("the the"), case aside; "that that" and "had had" are English. */
    public static List<String> repeatedWords(List<String> words) {
        List<String> repeated = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            if (sameWord(words.get(i - 1), words.get(i))) {
                repeated.add(words.get(i).strip());
            }
        }
        return repeated;
    }

    /** Whether the continuation starts with the opener's last word again: a seam that says a word twice. */
    public static boolean repeatsAcrossTheSeam(List<String> openerWords, String continuation) {
        String[] continuationWords = continuation.strip().split("\\s+", 2);
        return !openerWords.isEmpty() && !continuation.isBlank() && !continuation.startsWith(".")
                && sameWord(openerWords.get(openerWords.size() - 1), continuationWords[0]);
    }

    /** The words of a text, each with its leading whitespace, as an opener's words come. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher word = WORD.matcher(text);
        while (word.find()) {
            words.add(word.group());
        }
        return words;
    }

    private static boolean sameWord(String first, String second) {
        String a = core(first).toLowerCase(Locale.ROOT);
        return !a.isEmpty() && a.equals(core(second).toLowerCase(Locale.ROOT))
                && !EnglishWords.LEGITIMATE_DOUBLES.contains(a);
    }

    /** The words and numbers a conversation contains. */
    private static final class Grounding {
        final Set<String> words = new HashSet<>();
        final Set<String> numbers = new HashSet<>();

        Grounding(String conversation) {
            for (String token : conversation.split("\\s+")) {
                String lower = core(token).toLowerCase(Locale.ROOT);
                words.add(lower);
                words.add(withoutPossessive(lower));
                numbers.addAll(digits(lower));
                for (String part : lower.split("-")) {
                    words.add(part);
                    Integer spelled = EnglishWords.CARDINALS.get(part);
                    if (spelled != null) {
                        numbers.add(Integer.toString(spelled));
                    }
                }
            }
        }

        boolean isUngroundedFact(String word, String previous, Predicate<String> alwaysAName) {
            String core = core(word);
            String lower = core.toLowerCase(Locale.ROOT);
            if (core.isEmpty() || words.contains(lower) || words.contains(withoutPossessive(lower))) {
                return false;
            }
            if (core.chars().anyMatch(Character::isDigit)) {
                return !numbers.containsAll(digits(core));
            }
            String spelled = spelledNumber(lower);
            if (spelled != null) {
                return !numbers.contains(spelled);
            }
            boolean sentenceStart = previous == null || previous.strip().matches(".*[.!?:]$")
                    || word.strip().matches("^[\"\u201c(].*");
            return Character.isUpperCase(core.charAt(0)) && !sentenceStart
                    && !EnglishWords.FIRST_PERSON.contains(lower) && !EnglishWords.CAPITALIZED_NON_NAMES.contains(lower)
                    && !CLOCK_MARKS.contains(lower) || alwaysAName.test(core);
        }
    }

    /** The value of a number word or compound ("ten", "ten-minute", "twenty-three"), "one" alone excepted. */
    private static String spelledNumber(String lower) {
        if (lower.equals("one")) {
            return null;
        }
        int value = 0;
        boolean any = false;
        for (String part : lower.split("-")) {
            Integer spelled = EnglishWords.CARDINALS.get(part);
            if (spelled != null) {
                value += spelled;
                any = true;
            }
        }
        return any ? Integer.toString(value) : null;
    }

    private static List<String> digits(String core) {
        List<String> values = new ArrayList<>();
        Matcher m = DIGITS.matcher(core);
        while (m.find()) {
            values.add(new BigDecimal(m.group().replace(",", "")).stripTrailingZeros().toPlainString());
        }
        return values;
    }

    static String withoutPossessive(String lower) {
        return lower.replaceAll("'s$", "");
    }

    /** A word without its surrounding whitespace and punctuation, with a straight apostrophe. */
    static String core(String word) {
        return word.strip().replace('\u2019', '\'').replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$", "");
    }
}
