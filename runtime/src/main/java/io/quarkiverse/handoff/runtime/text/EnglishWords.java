package io.quarkiverse.handoff.runtime.text;

import java.util.Map;
import java.util.Set;

/**
 * Every English word list of the runtime, in one place: the seam's and the opener's. (English only for now: another
 * language would bring its own lists.)
 */
public final class EnglishWords {

    private EnglishWords() {
    }

    // ---- the seam -------------------------------------------------------------------------------------------------

    /** The articles: "a timer" restates "timer" as much as "timer" does. */
    public static final Set<String> ARTICLES = Set.of("a", "an", "the");

    /** Words that legitimately follow themselves: "that that", "had had". */
    public static final Set<String> LEGITIMATE_DOUBLES = Set.of("that", "had");

    /**
     * Function words a model capitalizes by mistake when it starts its continuation as if it were a new sentence
     * ("Sure, I'll set a timer" + "For ten minutes"); only these are lower-cased at a joint inside a sentence, never
     * names.
     */
    public static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "and", "as", "at", "because", "but", "by",
            "for", "from", "in", "into", "is", "it", "its", "of", "on", "or", "so", "than", "that", "the", "then", "to",
            "until", "was", "which", "while", "who", "with", "you", "your", "are", "be", "can", "will", "would",
            "should", "just", "about", "after", "before", "over", "under", "when", "where", "this", "these", "those",
            "there", "their", "they", "we", "he", "she", "his", "her", "our", "my", "if", "also", "only", "not",
            "no", "yes", "do", "does", "did", "has", "have", "all", "some", "any", "each", "every", "more", "most",
            "very", "what", "how", "why", "up", "out", "off", "down", "around", "through", "between", "during");

    /** What a literal continuation may glue to the opener's complete last word: it makes a longer word of it. */
    public static final Set<String> SUFFIXES = Set.of("s", "es", "ed", "d", "ing", "er", "ers", "est", "ly", "n't",
            "'s", "'re", "'ve", "'ll", "'d", "'m");

    /** Verbs that link a subject to what is said of it: "Canberra is the capital". */
    public static final Set<String> LINKING_VERBS = Set.of("is", "are", "was", "were", "became", "becomes", "remains",
            "remained", "means", "equals");

    /** Auxiliary verbs that start a clause's predicate: "Timer will ring". */
    public static final Set<String> AUXILIARIES = Set.of("will", "would", "can", "could", "should", "has", "have",
            "had", "does", "did", "may", "might", "must", "starts", "started", "runs", "goes", "went");

    /** The two-letter words, so that any other two letters at a joint are a fragment of a word. */
    public static final Set<String> TWO_LETTER_WORDS = Set.of("ah", "am", "an", "as", "at", "be", "by", "do", "eh",
            "go", "he", "hi", "if", "in", "is", "it", "me", "my", "no", "of", "oh", "ok", "on", "or", "so", "to", "up",
            "us", "we", "ox", "ax", "id", "tv", "uk", "pm");

    // ---- the opener's phrases --------------------------------------------------------------------------------------

    /** Articles, possessives, demonstratives and quantifiers: they announce a noun ("next" a date). */
    public static final Set<String> DETERMINERS = Set.of("a", "an", "the", "my", "your", "his", "her", "our", "their",
            "its", "this", "these", "those", "every", "each", "some", "any", "no", "next", "last");

    /** Prepositions and conjunctions: they announce a phrase or a clause, so a phrase ends before them. */
    public static final Set<String> CONNECTORS = Set.of("to", "at", "of", "in", "on", "for", "from", "with", "by",
            "about", "into", "onto", "over", "under", "after", "before", "until", "till", "via", "per", "near",
            "between", "during", "through", "across", "around", "toward", "towards", "without", "within", "and", "or",
            "but", "nor", "because", "if", "whether", "while", "although", "unless");

    /** Comparisons: they cannot end a phrase, and neither can the word before them ("much more | than"). */
    public static final Set<String> COMPARISONS = Set.of("than", "as");

    /** Conjunctions that start a new clause: the boundary before one is a clause boundary ("a timer | and I'll"). */
    /** Conjunctions that start a new clause: the boundary before one is a clause boundary ("a timer | and I'll"). */
    public static final Set<String> CLAUSE_STARTERS = Set.of("and", "but", "or", "nor", "because", "while", "when",
            "whereas", "although", "unless", "which", "if");

    // ---- the opener's facts (see GroundingGuard) --------------------------------------------------------------------

    /** "I" and its contractions: capitalized everywhere, never a name. */
    public static final Set<String> FIRST_PERSON = Set.of("i", "i'm", "i'll", "i've", "i'd");

    /**
     * Words that often start a reply's sentence and name nobody ("Sure,", "Okay", "Here's"), beyond the function words
     * above: a sentence's capital says nothing about them.
     */
    public static final Set<String> SENTENCE_STARTERS = Set.of("sure", "okay", "ok", "yes", "yeah", "yep", "no",
            "hi", "hello", "hey", "sorry", "thanks", "thank", "great", "done", "alright", "well", "oh", "oops", "hmm",
            "absolutely", "certainly", "of", "got", "good", "nice", "welcome", "please", "now", "just", "also", "then",
            "so", "first", "next", "finally", "actually", "unfortunately", "today", "here", "there", "that", "this",
            "it", "you", "we", "they", "he", "she", "let", "what", "how", "who", "where", "when", "why", "which",
            "one", "may", "might", "could", "were", "had");

    /** Capitalized words inside a sentence that name nobody. */
    public static final Set<String> CAPITALIZED_NON_NAMES = Set.of("ok", "okay");

    /**
     * People named by their relation to the user (family, boss): which one is meant is a fact the micro-model cannot
     * know.
     */
    public static final Set<String> RELATIONS = Set.of("mom", "mum", "mommy", "mother", "dad", "daddy", "father",
            "grandma", "grandpa", "grandmother", "grandfather", "granny", "nana", "sister", "brother", "wife",
            "husband", "son", "daughter", "aunt", "uncle", "cousin", "niece", "nephew", "boyfriend", "girlfriend",
            "boss");

    /** Days of the week (in any case: "monday" is as much a date as "Monday"). */
    public static final Set<String> WEEKDAYS = Set.of("monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday", "sunday");

    /** Months: dates only when capitalized, since "may", "march" and "august" are also common words. */
    public static final Set<String> MONTHS = Set.of("january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december");

    /**
     * Times and days relative to now, and clock words. ("today" and "now" are not: they assume nothing. "am" is the
     * verb unless written "AM".)
     */
    public static final Set<String> TIME_WORDS = Set.of("tomorrow", "yesterday", "tonight", "morning", "afternoon",
            "evening", "noon", "midnight", "week", "weekend", "pm", "a.m", "p.m", "o'clock");

    /** Cardinal number words. "one" is left out on its own ("one moment", "that one"), but counts in "one-minute". */
    public static final Map<String, Integer> CARDINALS = Map.ofEntries(Map.entry("zero", 0), Map.entry("one", 1),
            Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5),
            Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9),
            Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("thirteen", 13),
            Map.entry("fourteen", 14), Map.entry("fifteen", 15), Map.entry("sixteen", 16),
            Map.entry("seventeen", 17), Map.entry("eighteen", 18), Map.entry("nineteen", 19),
            Map.entry("twenty", 20), Map.entry("thirty", 30), Map.entry("forty", 40), Map.entry("fifty", 50),
            Map.entry("sixty", 60), Map.entry("seventy", 70), Map.entry("eighty", 80), Map.entry("ninety", 90));

    /** Ordinals that are not a cardinal plus "th". "first" and "second" count only after a tens word. */
    public static final Map<String, Integer> IRREGULAR_ORDINALS = Map.of("first", 1, "second", 2, "third", 3,
            "fifth", 5, "eighth", 8, "ninth", 9, "twelfth", 12);

    /** Number words that are too often something else on their own. */
    public static final Set<String> NOT_NUMBERS_ALONE = Set.of("one", "first", "second");

    /** Scale words: they multiply what precedes them ("three hundred"). */
    public static final Map<String, Long> SCALES = Map.of("hundred", 100L, "thousand", 1_000L, "million",
            1_000_000L, "billion", 1_000_000_000L);

    /**
     * Units of measure and arithmetic operations an opener may name, each with the unit or operation it names: the
     * opener's word is a {@link io.quarkiverse.handoff.policy.FactClass#UNIT} unless the conversation names the same
     * one. Singular forms (a plural is judged by its singular). Left out because they are too often something else:
     * "minute" and "second" alone ("just a second"), "in", "over", "square".
     */
    public static final Map<String, String> UNITS = Map.ofEntries(Map.entry("kilogram", "kilogram"),
            Map.entry("kilo", "kilogram"), Map.entry("kg", "kilogram"), Map.entry("gram", "gram"),
            Map.entry("pound", "pound"), Map.entry("lb", "pound"), Map.entry("ounce", "ounce"),
            Map.entry("oz", "ounce"), Map.entry("ton", "ton"), Map.entry("tonne", "ton"), Map.entry("mile", "mile"),
            Map.entry("kilometer", "kilometer"), Map.entry("kilometre", "kilometer"), Map.entry("km", "kilometer"),
            Map.entry("meter", "meter"), Map.entry("metre", "meter"), Map.entry("centimeter", "centimeter"),
            Map.entry("centimetre", "centimeter"), Map.entry("cm", "centimeter"), Map.entry("millimeter", "millimeter"),
            Map.entry("millimetre", "millimeter"), Map.entry("mm", "millimeter"), Map.entry("foot", "foot"),
            Map.entry("feet", "foot"), Map.entry("ft", "foot"), Map.entry("inch", "inch"), Map.entry("inche", "inch"),
            Map.entry("yard", "yard"), Map.entry("liter", "liter"), Map.entry("litre", "liter"),
            Map.entry("milliliter", "milliliter"), Map.entry("millilitre", "milliliter"), Map.entry("ml", "milliliter"),
            Map.entry("gallon", "gallon"), Map.entry("quart", "quart"), Map.entry("pint", "pint"),
            Map.entry("cup", "cup"), Map.entry("teaspoon", "teaspoon"), Map.entry("tsp", "teaspoon"),
            Map.entry("tablespoon", "tablespoon"), Map.entry("tbsp", "tablespoon"), Map.entry("celsius", "celsius"),
            Map.entry("centigrade", "celsius"), Map.entry("fahrenheit", "fahrenheit"), Map.entry("kelvin", "kelvin"),
            Map.entry("degree", "degree"), Map.entry("hour", "hour"), Map.entry("hr", "hour"),
            Map.entry("minutes", "minute"), Map.entry("min", "minute"), Map.entry("seconds", "second"),
            Map.entry("sec", "second"), Map.entry("percent", "percent"), Map.entry("mph", "mph"),
            Map.entry("kph", "kph"), Map.entry("km/h", "kph"), Map.entry("dollar", "dollar"), Map.entry("euro", "euro"),
            Map.entry("plus", "plus"), Map.entry("minus", "minus"), Map.entry("times", "times"),
            Map.entry("multiplied", "times"), Map.entry("divided", "divided"), Map.entry("squared", "squared"),
            Map.entry("cubed", "cubed"), Map.entry("root", "root"));

    /**
     * Words and symbols of a conversation that name a unit or an operation without being one an opener would say
     * (plurals of {@link #UNITS}' words such as "mins" are found there by their singular):
     * "add" grounds "plus", "split" grounds "divided", "Celsius" or "thermostat" ground "degrees", "$" grounds
     * "dollars".
     */
    public static final Map<String, String> UNIT_SIGNS = Map.ofEntries(Map.entry("g", "gram"),
            Map.entry("lbs", "pound"), Map.entry("m", "meter"), Map.entry("mi", "mile"), Map.entry("l", "liter"),
            Map.entry("gal", "gallon"), Map.entry("h", "hour"), Map.entry("hrs", "hour"), Map.entry("minute", "minute"),
            Map.entry("second", "second"),
            Map.entry("%", "percent"), Map.entry("pct", "percent"), Map.entry("$", "dollar"), Map.entry("usd", "dollar"),
            Map.entry("buck", "dollar"), Map.entry("\u20ac", "euro"), Map.entry("eur", "euro"), Map.entry("+", "plus"),
            Map.entry("add", "plus"), Map.entry("sum", "plus"), Map.entry("subtract", "minus"),
            Map.entry("take", "minus"), Map.entry("multiply", "times"), Map.entry("x", "times"),
            Map.entry("*", "times"), Map.entry("\u00d7", "times"), Map.entry("divide", "divided"),
            Map.entry("/", "divided"), Map.entry("\u00f7", "divided"), Map.entry("split", "divided"),
            Map.entry("over", "divided"), Map.entry("square", "squared"), Map.entry("\u00b2", "squared"),
            Map.entry("cube", "cubed"), Map.entry("sqrt", "root"), Map.entry("\u221a", "root"),
            Map.entry("\u00b0", "degree"), Map.entry("thermostat", "degree"), Map.entry("temperature", "degree"),
            Map.entry("heat", "degree"), Map.entry("heating", "degree"));

    /** Temperature scales: naming one names degrees too ("72 Fahrenheit" grounds "72 degrees Fahrenheit"). */
    public static final Set<String> TEMPERATURE_SCALES = Set.of("celsius", "fahrenheit", "kelvin");

    /** Quantities said as words, with their value. */
    public static final Map<String, Double> QUANTITIES = Map.of("dozen", 12.0, "half", 0.5, "quarter", 0.25);
}
