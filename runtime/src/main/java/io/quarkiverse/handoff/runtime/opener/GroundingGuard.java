package io.quarkiverse.handoff.runtime.opener;

import static io.quarkiverse.handoff.runtime.text.EnglishWords.BAD_NEWS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.BAD_NEWS_PHRASES;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.CAPITALIZED_NON_NAMES;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.CARDINALS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.CHEERS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.CLAUSE_STARTERS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.CONGRATULATIONS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.CONNECTORS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.DECLINES;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.DETERMINERS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.DOWN;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.DOWN_CUES;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.FIRST_PERSON;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.FUNCTION_WORDS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.GOOD_NEWS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.HARMLESS_PHRASES;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.HARM_PHRASES;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.HARM_WORDS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.IRREGULAR_ORDINALS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.MONTHS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.NEGATIONS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.NOT_NUMBERS_ALONE;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.QUANTITIES;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.RELATIONS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.SAFE_STARTS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.SCALES;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.SENTENCE_STARTERS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.SMALLER_UNITS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.SYMPATHY;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.SYMPATHY_LEAD;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.TEMPERATURE_SCALES;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.TIME_WORDS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.TOPICS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.TURNED;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.UNITS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.UNIT_SIGNS;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.UP;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.UP_CUES;
import static io.quarkiverse.handoff.runtime.text.EnglishWords.WEEKDAYS;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.runtime.text.EnglishWords;

/**
 * Tells whether an opener word states a fact that the conversation does not hold: a number, a date or time, a name, a
 * unit or an arithmetic operation, a word whose spelling the model guessed (how a small model's made-up words come
 * out), a subject, a direction or a feeling the conversation does not bring up; and, on a request that names harm,
 * any start that does not decline or comfort.
 * The micro-model cannot know such a fact ("17 times 23 equals 74", "call grandma"), so a grounded opener stops right
 * before it and the cloud says it. A fact the conversation holds may be repeated: "ten" is grounded by "10" and "10"
 * by "ten", "Sarah's" by "sarah".
 * <p>
 * It judges whole words, so a number or a name of several tokens ("5,201.1", "Noah") is judged once it is complete,
 * never token by token.
 */
final class GroundingGuard {

    private static final Pattern DIGITS = Pattern.compile("\\d[\\d,]*(?:\\.\\d+)?");
    private static final Set<Character.UnicodeScript> NO_SPACES = EnumSet.of(Character.UnicodeScript.HAN,
            Character.UnicodeScript.HIRAGANA, Character.UnicodeScript.KATAKANA, Character.UnicodeScript.THAI,
            Character.UnicodeScript.LAO, Character.UnicodeScript.KHMER, Character.UnicodeScript.MYANMAR,
            Character.UnicodeScript.TIBETAN);
    private static final Pattern CLOCK_TIME = Pattern.compile("\\d{1,2}(?::\\d\\d)?(?:am|pm|a\\.m|p\\.m)?");
    /** "6 x 7", "6x7": times written with a letter. */
    private static final Pattern NUMBER_X_NUMBER = Pattern.compile("\\d\\s*x\\s*\\d");
    /** "250 - 19": minus written with a hyphen between spaces. */
    private static final Pattern NUMBER_MINUS_NUMBER = Pattern.compile("\\d\\s+-\\s+\\d");
    /** Words between a number and its unit that make it a fraction: "3 and a half hours". */
    private static final Set<String> FRACTION_JOINERS = Set.of("and", "a");
    /** Endings that make another word of a word ("translate", "translation"), for telling forms from garbled copies. */
    private static final Set<String> DERIVATIONS = Set.of("ion", "ions", "ation", "ations", "ive", "ment", "ments",
            "ness", "al", "ally", "able", "ity", "or", "ors", "ly");
    /**
     * The names {@link EnglishWords#UNITS} gives arithmetic operations, which say how numbers combine, not what they measure.
     */
    private static final Set<String> OPERATIONS = Set.of("plus", "minus", "times", "divided", "squared", "cubed", "root");

    private final Set<FactClass> classes;
    /** Whether a lower-case word is a common word of the model's language (not a name). */
    private final Predicate<String> commonWord;
    /** The conversation's words, lower case, without surrounding punctuation or possessive. */
    private final Set<String> words = new HashSet<>();
    /** The numbers the conversation holds, in digits or words, as canonical decimal strings. */
    private final Set<String> numbers = new HashSet<>();
    /** The units and operations the conversation names, each by its first name in {@link EnglishWords#UNITS}. */
    private final Set<String> units = new HashSet<>();
    /**
     * The units the conversation gives each of its numbers ("60 kilos": 60 is in kilograms; "3 and a half hours": 3 is
     * in hours). A number the conversation writes without a unit is not in it.
     */
    private final Map<String, Set<String>> unitsOfNumber = new HashMap<>();
    /**
     * The words of the user's and the assistant's turns, as {@link #words}: what the conversation is about
     * ({@link FactClass#TOPIC}, {@link FactClass#DIRECTION}). A system message that lists what the assistant can do
     * does not make every subject grounded.
     */
    private final Set<String> heardWords = new HashSet<>();
    /** Whether the user's words bring good news or thanks, or bad news or worry ({@link FactClass#FEELING}). */
    private boolean goodNews;
    private boolean badNews;
    /** Whether the conversation names a day ("Saturday", "tomorrow", "this weekend"): then "today" is a guess. */
    private boolean namesADay;
    /**
     * Whether the user's latest turn names harm ({@link FactClass#SAFETY}): then the reply only declines or comforts.
     * An earlier turn's does not make the next request one.
     */
    private boolean harmful;
    /** Whether the conversation is about a setting that goes up or down (volume, lights, heat): "warmer" turns it. */
    private boolean aboutASetting;
    /** Whether the safe start has been said and the clause it started ended: the opener stops there. */
    private boolean safeClauseEnded;
    /** The reply said so far, as {@link #plain}: a reply the conversation ends with, then the words let through. */
    private String replySoFar = "";
    /** Whether the reply has started by declining or comforting ({@link EnglishWords#SAFE_STARTS}). */
    private boolean startedSafely;
    /** Whether the reply can no longer turn out to decline ({@link EnglishWords#DECLINES}), on a harmless request. */
    private boolean declineRuledOut;

    /** Words that name a day other than today ("tonight" and "this afternoon" are today's). */
    private static final Set<String> DAYS = Set.of("tomorrow", "yesterday", "weekend", "week");

    private GroundingGuard(Set<FactClass> classes, Predicate<String> commonWord) {
        this.classes = classes;
        this.commonWord = commonWord;
    }

    /**
     * A guard for an opener of this conversation. Every message grounds numbers, dates, names and units, the system's
     * too; subjects and directions are grounded by the user's and the assistant's turns, news by the user's, and
     * whether the request names harm is the latest user turn's. A conversation that ends with the assistant's turn is
     * a reply under way ({@link OpenerEngine#closeSentence}): its stance is taken as said.
     *
     * @param commonWord whether a lower-case word is a common word of the language, so that a capitalized one that
     *        starts a sentence is not taken for a name ("Message" is common, "Lima" is not); the opener asks its
     *        model's vocabulary
     */
    static GroundingGuard of(List<ChatMessage> conversation, Set<FactClass> classes, Predicate<String> commonWord) {
        GroundingGuard guard = new GroundingGuard(classes, commonWord);
        String latestUserTurn = null;
        for (ChatMessage message : conversation) {
            guard.learn(message.content(), message.role());
            if (message.role() == ChatMessage.Role.USER) {
                guard.learnNews(message.content());
                latestUserTurn = message.content();
            }
        }
        guard.harmful = latestUserTurn != null && namesHarm(latestUserTurn);
        guard.aboutASetting = !Collections.disjoint(TURNED, guard.heardWords)
                || !Collections.disjoint(UP, guard.heardWords) || !Collections.disjoint(DOWN, guard.heardWords)
                || !Collections.disjoint(UP_CUES, guard.heardWords) || !Collections.disjoint(DOWN_CUES, guard.heardWords);
        ChatMessage last = conversation.isEmpty() ? null : conversation.get(conversation.size() - 1);
        if (last != null && last.role() == ChatMessage.Role.ASSISTANT) {
            guard.replySoFar = plain(last.content());
            guard.startedSafely = SAFE_STARTS.stream().anyMatch(start -> startsWithWords(guard.replySoFar, start));
            guard.declineRuledOut = DECLINES.stream().noneMatch(d -> d.startsWith(guard.replySoFar + " "));
        }
        return guard;
    }

    /**
     * Whether a user's turn names harm: a phrase of {@link EnglishWords#HARM_PHRASES}, or a word of
     * {@link EnglishWords#HARM_WORDS} (in the singular too, and each part of a hyphenated word: "guns", "self-harm")
     * outside a harmless phrase ("bath bomb").
     */
    private static boolean namesHarm(String text) {
        String plain = " " + plain(text) + " ";
        if (HARM_PHRASES.stream().anyMatch(phrase -> plain.contains(" " + phrase + " "))) {
            return true;
        }
        String said = plain;
        for (String harmless : HARMLESS_PHRASES) {
            said = said.replace(" " + harmless + " ", " ");
        }
        // plain text has no hyphens: "self-harm" is "self harm"
        for (String word : said.strip().split(" ")) {
            String bare = withoutPossessive(word);
            if (HARM_WORDS.contains(bare) || HARM_WORDS.contains(singular(bare))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What news a user's turn brings ({@link EnglishWords#GOOD_NEWS}, {@link EnglishWords#BAD_NEWS}): a news word
     * one or two words after a negation turns around ("not good", "not feeling good" are bad news, "not bad" none), a phrase of
     * {@link EnglishWords#BAD_NEWS_PHRASES} is bad news whatever its words ("passed away").
     */
    private void learnNews(String text) {
        String said = " " + plain(text) + " ";
        for (String phrase : BAD_NEWS_PHRASES) {
            if (said.contains(" " + phrase + " ")) {
                badNews = true;
                said = said.replace(" " + phrase + " ", " ");
            }
        }
        String[] words = said.strip().split(" ");
        for (int i = 0; i < words.length; i++) {
            // "not good", "not feeling good", "not so good"
            boolean negated = i > 0 && NEGATIONS.contains(words[i - 1]) || i > 1 && NEGATIONS.contains(words[i - 2]);
            if (GOOD_NEWS.contains(words[i])) {
                goodNews |= !negated;
                badNews |= negated;
            } else if (BAD_NEWS.contains(words[i]) && !negated) {
                badNews = true;
            }
        }
    }

    private void learn(String text, ChatMessage.Role role) {
        List<String> numberWordRun = new ArrayList<>();
        String[] tokens = text.split("\\s+");
        learnQuantities(tokens);
        for (String token : tokens) {
            String core = core(token);
            if (core.isEmpty()) {
                continue;
            }
            String lower = lower(core);
            String bare = singular(withoutPossessive(lower));
            words.add(lower);
            words.add(bare);
            if (role != ChatMessage.Role.SYSTEM) {
                heardWords.add(lower);
                heardWords.add(bare);
            }
            namesADay |= WEEKDAYS.contains(bare) || DAYS.contains(bare)
                    || Character.isUpperCase(core.charAt(0)) && MONTHS.contains(bare);
            for (String part : lower.split("-")) {
                words.add(part);
            }
            for (String part : lower.split("/")) {
                learnUnit(part);
            }
            learnUnit(lower);
            digitValues(core).forEach(numbers::add);
            // a spelled number may span words ("twenty three", "two hundred"): its value, and each word's
            List<String> spelled = wordValues(lower, true);
            numbers.addAll(spelled);
            boolean numberWord = !spelled.isEmpty();
            if (numberWord) {
                numberWordRun.add(lower);
            }
            if (!numberWord || token.matches(".*[,.;:!?]")) {
                addRun(numberWordRun);
            }
        }
        addRun(numberWordRun);
        // signs written without spaces ("$96", "15%", "144/12") and operations between numbers
        text.codePoints().filter(c -> !Character.isLetterOrDigit(c) && !Character.isWhitespace(c))
                .mapToObj(Character::toString).forEach(this::learnUnit);
        if (NUMBER_X_NUMBER.matcher(text).find()) {
            units.add("times");
        }
        if (NUMBER_MINUS_NUMBER.matcher(text).find()) {
            units.add("minus");
        }
    }

    private void learnUnit(String lower) {
        units.addAll(unitsNamed(lower));
    }

    /**
     * The units a conversation's word names, with those it implies: "km/h" names kilometers, hours and km/h,
     * "Fahrenheit" degrees too, "kg" kilograms. Empty for a word that names none.
     */
    private static Set<String> unitsNamed(String lower) {
        Set<String> named = new HashSet<>();
        for (String name : lower.indexOf('/') > 0 ? List.of(lower, lower.split("/")[0], lower.split("/", 2)[1])
                : List.of(lower)) {
            String unit = unitOf(name);
            if (unit == null) {
                unit = UNIT_SIGNS.get(singular(name));
            }
            if (unit != null) {
                named.add(unit);
                if (TEMPERATURE_SCALES.contains(unit)) {
                    named.add("degree");
                } else if (unit.equals("mph")) {
                    named.addAll(List.of("mile", "hour"));
                } else if (unit.equals("kph")) {
                    named.addAll(List.of("kilometer", "hour"));
                }
            }
        }
        return named;
    }

    /**
     * Which unit each number of the conversation is in: the unit written right after it ("60 kilos", "60kg",
     * "twenty three kilos", "3 and a half hours").
     */
    private void learnQuantities(String[] tokens) {
        List<String> pending = new ArrayList<>();
        List<String> spelledRun = new ArrayList<>();
        // the numbers the last unit went to, for the unit words that follow it ("100 degrees Fahrenheit")
        List<String> paired = new ArrayList<>();
        // the unit of a number right after a quantity: "6 feet 2" is 2 inches
        String smaller = null;
        for (String token : tokens) {
            String core = core(token);
            String lower = lower(core);
            if (!pending.isEmpty() && FRACTION_JOINERS.contains(lower)) {
                continue;
            }
            List<String> values = numberValues(core, true);
            if (!values.isEmpty()) {
                if (smaller != null) {
                    units.add(smaller);
                    for (String value : values) {
                        unitsOfNumber.computeIfAbsent(value, v -> new HashSet<>()).add(smaller);
                    }
                    smaller = null;
                }
                paired.clear();
                pending.addAll(values);
                if (core.chars().noneMatch(Character::isDigit)) {
                    spelledRun.add(lower);
                }
                // a unit written on the number: "60kg", "5km"
                Set<String> glued = measures(unitsNamed(lower.replaceFirst("^[\\d.,]+", "")));
                if (core.chars().anyMatch(Character::isDigit) && !glued.isEmpty()) {
                    pair(pending, spelledRun, glued, paired);
                }
                continue;
            }
            Set<String> named = measures(unitsNamed(lower));
            smaller = null;
            if (!named.isEmpty() && !pending.isEmpty()) {
                pair(pending, spelledRun, named, paired);
                smaller = named.size() == 1 ? SMALLER_UNITS.get(named.iterator().next()) : null;
            } else if (!named.isEmpty() && !paired.isEmpty()) {
                paired.forEach(number -> unitsOfNumber.get(number).addAll(named));
            } else {
                paired.clear();
            }
            pending.clear();
            spelledRun.clear();
        }
    }

    private void pair(List<String> numbers, List<String> spelledRun, Set<String> named, List<String> paired) {
        if (spelledRun.size() > 1) {
            BigDecimal run = spelledValue(String.join("-", spelledRun).split("-"), true);
            if (run != null) {
                numbers.add(canonical(run));
            }
        }
        for (String number : numbers) {
            unitsOfNumber.computeIfAbsent(number, n -> new HashSet<>()).addAll(named);
        }
        paired.clear();
        paired.addAll(numbers);
        numbers.clear();
        spelledRun.clear();
    }

    /** Of these units, those that measure: an operation after a number ("90 divided by 3") is no unit of it. */
    private static Set<String> measures(Set<String> units) {
        units.removeAll(OPERATIONS);
        return units;
    }

    /** The unit or operation an opener word names ("kilos": kilogram), or null. */
    private static String unitOf(String lower) {
        String unit = UNITS.get(lower);
        return unit != null ? unit : UNITS.get(singular(lower));
    }

    private void addRun(List<String> run) {
        if (run.size() > 1) {
            BigDecimal value = spelledValue(String.join("-", run).split("-"), true);
            if (value != null) {
                numbers.add(canonical(value));
            }
        }
        run.clear();
    }

    /**
     * The class of the fact this opener word states without the conversation holding it, or null when the word may
     * be said. A word of no other class whose spelling the model guessed is a {@link FactClass#GUESSED_WORD}.
     *
     * @param word the word as generated, with its whitespace and punctuation
     * @param sentenceStart whether it starts a sentence (where a capital says nothing about names)
     */
    FactClass ungrounded(WordAssembler.Word word, String previous, boolean sentenceStart) {
        String core = core(word.text());
        if (core.isEmpty()) {
            return null;
        }
        if (classes.contains(FactClass.SAFETY) && (harmful ? !startsSafely(word.text()) : declines(core))) {
            return FactClass.SAFETY;
        }
        FactClass fact = factClass(core, word.text(), previous, sentenceStart);
        if (fact == FactClass.UNIT && classes.contains(fact) && otherUnitThanTheConversationGives(core, previous)) {
            return fact;
        }
        if ((fact == null || !classes.contains(fact)) && writtenWithSpaces(core)
                && (word.spellingConfidence() < FactClass.SPELLING_FLOOR || garbledCopy(lower(core)))) {
            fact = FactClass.GUESSED_WORD;
        }
        return fact != null && classes.contains(fact) && !grounded(core, fact) ? fact : null;
    }

    /**
     * Whether the reply, with this word, still declines or comforts: this word is one of such a start's ("I'm" may
     * start "I'm so sorry"; "Sure!" starts none), or a whole one was said and the clause it started has not ended.
     * The word is then part of the reply so far.
     */
    private boolean startsSafely(String text) {
        if (safeClauseEnded) {
            return false;
        }
        if (startedSafely) {
            safeClauseEnded = WordAssembler.endsClause(text);
            return true;
        }
        String withWord = replyWith(text);
        for (String start : SAFE_STARTS) {
            if (startsWithWords(withWord, start) || start.startsWith(withWord + " ")) {
                replySoFar = withWord;
                startedSafely = startsWithWords(withWord, start);
                safeClauseEnded = startedSafely && WordAssembler.endsClause(text);
                return true;
            }
        }
        return false;
    }

    /** The reply so far with this word, as {@link #plain}. */
    private String replyWith(String word) {
        return (replySoFar + " " + plain(word)).strip();
    }

    /** Whether a text starts with a phrase's whole words ("i can't help with" does, "i can't helpful" does not). */
    private static boolean startsWithWords(String text, String phrase) {
        return (text + " ").startsWith(phrase + " ");
    }

    /**
     * Whether this word makes the reply decline a request that names no harm. The words that may start such a decline
     * ("I'm", "not", "able") are the reply so far until it is ruled out; {@link #stanceUndecided} says so meanwhile.
     */
    private boolean declines(String core) {
        if (declineRuledOut) {
            return false;
        }
        String withWord = replyWith(core);
        if (DECLINES.stream().anyMatch(decline -> startsWithWords(withWord, decline))) {
            return true;
        }
        replySoFar = withWord;
        declineRuledOut = DECLINES.stream().noneMatch(decline -> decline.startsWith(withWord + " "));
        return false;
    }

    /**
     * Whether the words let through so far do not settle the reply's stance yet ({@link FactClass#SAFETY}): on a
     * request that names no harm, they may still turn into a decline ("I'm" may start "I'm not able to help"; "I'm so"
     * no longer); on one that names harm, they have started a decline or comfort without completing it ("That's").
     * The opener holds them back meanwhile, so that it never says part of a stance it then drops.
     */
    boolean stanceUndecided() {
        return classes.contains(FactClass.SAFETY) && !replySoFar.isEmpty()
                && (harmful ? !startedSafely : !declineRuledOut);
    }

    /** Text compared with phrases: lower case, straight apostrophes, words split by single spaces, no other signs. */
    private static String plain(String text) {
        return text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replaceAll("[^\\p{L}\\p{N}' ]+", " ")
                .replaceAll("\\s+", " ").strip();
    }

    /**
     * Whether a unit said right after a number is not the one the conversation gives that number: "60 pounds" when
     * the user said "60 kilos". A number the conversation writes without a unit says nothing here.
     */
    private boolean otherUnitThanTheConversationGives(String core, String previous) {
        if (previous == null || WordAssembler.endsSentence(previous)) {
            return false;
        }
        String number = core(previous);
        List<String> values = numberValues(number, false);
        String unit = unitOf(withoutPossessive(lower(core)));
        if (OPERATIONS.contains(unit)) {
            return false;
        }
        for (String value : values) {
            Set<String> given = unitsOfNumber.get(value);
            if (given != null && !given.contains(unit)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a word is a garbled copy of a word of the conversation, and no word of its own (its vocabulary does not
     * hold it whole): a copy the model did not finish ("haik" for "haiku", "frug" for "frugal"), or, of a rare word
     * of the conversation (5 letters or more, not one token of the vocabulary), a copy it did not stop in time
     * ("haikuku", "haikur") or went astray in ("ephesal" for "ephemeral": four or more letters shared, then other
     * letters). Forms of the same word are no copies: "cook" and "cooking", "haikus", "reminding" and "reminder",
     * "scheduling" for "schedule", "translation" for "translate".
     */
    private boolean garbledCopy(String lower) {
        if (lower.length() < 3 || !lower.chars().allMatch(Character::isLetter) || commonWord.test(lower)) {
            return false;
        }
        for (String said : words) {
            int shared = 0;
            while (shared < lower.length() && shared < said.length() && lower.charAt(shared) == said.charAt(shared)) {
                shared++;
            }
            String ownRest = lower.substring(shared);
            String saidRest = said.substring(shared);
            boolean unfinished = ownRest.isEmpty() && !saidRest.isEmpty() && !EnglishWords.SUFFIXES.contains(saidRest);
            boolean rare = said.length() >= 5 && said.chars().allMatch(Character::isLetter) && !commonWord.test(said);
            boolean garbled = rare && shared >= 4 && !ownRest.isEmpty() && !sameWord(ownRest, saidRest);
            if (unfinished || garbled) {
                return true;
            }
        }
        return false;
    }

    /** Whether two words that share their start are forms of one word, by what follows the shared start. */
    private static boolean sameWord(String ownRest, String saidRest) {
        boolean saidStem = saidRest.isEmpty() || saidRest.equals("e");
        return (saidStem || EnglishWords.SUFFIXES.contains(saidRest))
                && (EnglishWords.SUFFIXES.contains(ownRest) || saidStem && DERIVATIONS.contains(ownRest));
    }

    /**
     * Whether a word is of a script that separates words with spaces: in Chinese, Japanese or Thai a "word" between
     * spaces is a phrase of many tokens, and the spelling of its tokens says nothing about made-up words.
     */
    private static boolean writtenWithSpaces(String core) {
        return core.codePoints().noneMatch(c -> NO_SPACES.contains(Character.UnicodeScript.of(c)));
    }

    /** What kind of fact a word states, grounded or not; null for a word that states none. */
    private FactClass factClass(String core, String text, String previous, boolean sentenceStart) {
        String lower = lower(core);
        if (core.chars().anyMatch(Character::isDigit)) {
            return core.indexOf(':') >= 0 || core.indexOf('/') >= 0 || CLOCK_TIME.matcher(lower).matches()
                    && !lower.chars().allMatch(Character::isDigit) ? FactClass.DATE_TIME : FactClass.NUMBER;
        }
        String bare = withoutPossessive(lower);
        boolean capitalized = Character.isUpperCase(core.charAt(0));
        if (WEEKDAYS.contains(singular(bare)) || TIME_WORDS.contains(bare) || core.equals("AM")
                || namesADay && bare.equals("today")
                || capitalized && MONTHS.contains(bare) && !(sentenceStart && bare.equals("may"))) {
            return FactClass.DATE_TIME;
        }
        if (!wordValues(lower, false).isEmpty()) {
            return FactClass.NUMBER;
        }
        if (unitOf(bare) != null) {
            return FactClass.UNIT;
        }
        if (RELATIONS.contains(singular(bare))) {
            return FactClass.NAME;
        }
        if (capitalized && !FIRST_PERSON.contains(lower) && !CAPITALIZED_NON_NAMES.contains(lower)
                && (!sentenceStart || !common(bare))) {
            return FactClass.NAME;
        }
        if (!topicsNamed(bare).isEmpty()) {
            return FactClass.TOPIC;
        }
        String before = previous == null ? "" : lower(core(previous)).replace('\u2019', '\'');
        boolean particle = bare.equals("up") || bare.equals("down");
        if ((UP.contains(bare) || DOWN.contains(bare)) && aboutASetting && (!particle || TURNED.contains(before))) {
            return FactClass.DIRECTION;
        }
        // "I'm sorry, I can't play that" apologizes; "I'm so sorry" and "I'm sorry you're" sympathize
        boolean apology = bare.equals("sorry") && (!SYMPATHY_LEAD.contains(before)
                || text.strip().endsWith(",") && !before.equals("so") && !before.equals("really"));
        if (CONGRATULATIONS.contains(bare) || CHEERS.contains(bare) || SYMPATHY.contains(bare) && !apology) {
            return FactClass.FEELING;
        }
        return null;
    }

    /**
     * Whether a word that starts a sentence is a common word rather than a name: a usual sentence opener or function
     * word, or a word the model's vocabulary holds in lower case, whole or as a stem with an ending ("Skipping":
     * "skip"). Of a contraction or compound, its first part ("That's", "Well-known").
     */
    private boolean common(String lower) {
        String head = lower.split("['-]", 2)[0];
        return SENTENCE_STARTERS.contains(head) || FUNCTION_WORDS.contains(head) || DETERMINERS.contains(head)
                || CONNECTORS.contains(head) || CLAUSE_STARTERS.contains(head) || !head.isEmpty()
                        && (commonWord.test(head) || commonStem(head));
    }

    /**
     * Whether a word is a common word with an ending the vocabulary does not hold whole: "skipping" (skip, its last
     * letter doubled), "scheduling" (schedule, its silent e dropped), "dims".
     */
    private boolean commonStem(String word) {
        for (String ending : EnglishWords.SUFFIXES) {
            String stem = word.substring(0, Math.max(0, word.length() - ending.length()));
            if (!word.endsWith(ending) || stem.length() < 3 || !ending.chars().allMatch(Character::isLetter)) {
                continue;
            }
            boolean doubled = stem.charAt(stem.length() - 1) == stem.charAt(stem.length() - 2);
            if (commonWord.test(stem) || commonWord.test(stem + "e")
                    || doubled && commonWord.test(stem.substring(0, stem.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private boolean grounded(String core, FactClass fact) {
        String lower = lower(core);
        String bare = withoutPossessive(lower);
        switch (fact) {
            case TOPIC:
                return topicsNamed(bare).stream().anyMatch(topic -> !Collections.disjoint(topic.cues(), heardWords));
            case DIRECTION:
                return UP.contains(bare) ? !Collections.disjoint(UP, heardWords) || !Collections.disjoint(UP_CUES, heardWords)
                        : !Collections.disjoint(DOWN, heardWords) || !Collections.disjoint(DOWN_CUES, heardWords);
            case FEELING:
                return CONGRATULATIONS.contains(bare) ? goodNews
                        : CHEERS.contains(bare) ? goodNews || !badNews : badNews || harmful;
            default:
                break;
        }
        if (words.contains(lower) || words.contains(singular(bare))) {
            return true;
        }
        if (fact == FactClass.UNIT) {
            return units.contains(unitOf(bare));
        }
        List<String> values = numberValues(core, false);
        if (!values.isEmpty()) {
            return numbers.containsAll(values);
        }
        // a hyphenated name is grounded when each of its parts is ("Jean-Luc" by "Jean" and "Luc")
        if (fact == FactClass.NAME && lower.indexOf('-') > 0) {
            for (String part : lower.split("-")) {
                if (!part.isEmpty() && !words.contains(part)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** The topics an opener word names ("forecast": the weather), as said or in the singular ("calories"). */
    private static List<EnglishWords.Topic> topicsNamed(String bare) {
        String one = singular(bare);
        return TOPICS.stream().filter(topic -> topic.names().contains(bare) || topic.names().contains(one)).toList();
    }

    /** The numbers a word states, in digits ({@link #digitValues}) or, without digits, in words ({@link #wordValues}). */
    private static List<String> numberValues(String core, boolean lenient) {
        return core.chars().anyMatch(Character::isDigit) ? digitValues(core) : wordValues(lower(core), lenient);
    }

    /** The numbers written in digits in a word: "5,201.1" is 5201.1, "10:30" is 10 and 30, "2nd" is 2. */
    private static List<String> digitValues(String core) {
        List<String> values = new ArrayList<>(1);
        Matcher digits = DIGITS.matcher(core);
        while (digits.find()) {
            String number = digits.group().replace(",", "");
            if (!number.isEmpty()) {
                values.add(canonical(new BigDecimal(number)));
            }
        }
        return values;
    }

    /**
     * The number a word spells, as a one-element list, or an empty list: "ten", "twenty-three", "ten-minute",
     * "fourteenth", "dozen". In an opener, words that are too often something else ("one moment", "just a second")
     * count only in a compound ("one-minute", "twenty-first"); in the conversation every number word grounds its value.
     */
    private static List<String> wordValues(String lower, boolean lenient) {
        String[] parts = lower.split("-");
        if (!lenient && parts.length == 1 && NOT_NUMBERS_ALONE.contains(singular(withoutPossessive(lower)))) {
            return List.of();
        }
        BigDecimal value = spelledValue(parts, lenient);
        return value == null ? List.of() : List.of(canonical(value));
    }

    /**
     * The value of the number words among the parts ("twenty", "three", "minute": 23), or null when there are none.
     * "first" and "second" count only after a tens word ("twenty-first") unless {@code lenient}.
     */
    private static BigDecimal spelledValue(String[] parts, boolean lenient) {
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal current = BigDecimal.ZERO;
        boolean any = false;
        boolean afterTens = false;
        for (String raw : parts) {
            String part = singular(withoutPossessive(raw));
            Integer cardinal = CARDINALS.get(part);
            Integer ordinal = ordinal(part);
            if (ordinal != null && ordinal <= 2 && !afterTens && !lenient) {
                ordinal = null;
            }
            Long scale = SCALES.get(part);
            Double quantity = QUANTITIES.get(part);
            if (cardinal != null || ordinal != null) {
                int v = cardinal != null ? cardinal : ordinal;
                current = current.add(BigDecimal.valueOf(v));
                afterTens = v >= 20 && v % 10 == 0;
                any = true;
            } else if (scale != null) {
                current = (current.signum() == 0 ? BigDecimal.ONE : current).multiply(BigDecimal.valueOf(scale));
                if (scale >= 1000) {
                    total = total.add(current);
                    current = BigDecimal.ZERO;
                }
                afterTens = false;
                any = true;
            } else if (quantity != null) {
                current = (current.signum() == 0 ? BigDecimal.ONE : current).multiply(BigDecimal.valueOf(quantity));
                afterTens = false;
                any = true;
            }
        }
        return any ? total.add(current) : null;
    }

    /** The value of an ordinal word: "third" 3, "fourteenth" 14, "twentieth" 20; null for other words. */
    private static Integer ordinal(String part) {
        Integer irregular = IRREGULAR_ORDINALS.get(part);
        if (irregular != null) {
            return irregular;
        }
        if (part.endsWith("ieth")) {
            return CARDINALS.get(part.substring(0, part.length() - 4) + "y");
        }
        if (part.endsWith("th")) {
            return CARDINALS.get(part.substring(0, part.length() - 2));
        }
        return null;
    }

    private static String canonical(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    /**
     * The word without surrounding punctuation, quotes or symbols ("\"Sarah,\"" is "Sarah", "$5" is "5"), with
     * typographic apostrophes made plain.
     */
    static String core(String word) {
        String text = word.replace('\u2019', '\'');
        int start = 0;
        int end = text.length();
        while (start < end && !Character.isLetterOrDigit(text.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetterOrDigit(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static String lower(String core) {
        return core.toLowerCase(Locale.ROOT);
    }

    private static String withoutPossessive(String lower) {
        return lower.endsWith("'s") ? lower.substring(0, lower.length() - 2)
                : lower.endsWith("s'") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** The singular of a regular plural ("mondays", "dozens", "thousands"); other words as they are. */
    private static String singular(String lower) {
        return lower.length() > 3 && lower.endsWith("s") && !lower.endsWith("ss") ? lower.substring(0, lower.length() - 1)
                : lower;
    }
}
