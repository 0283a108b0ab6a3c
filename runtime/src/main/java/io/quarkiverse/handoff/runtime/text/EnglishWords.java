package io.quarkiverse.handoff.runtime.text;

import java.util.HashSet;
import java.util.List;
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

    /**
     * The unit a number right after a quantity is in when the conversation writes none: "6 feet 2" is 6 feet 2
     * inches, "2 hours 30" 2 hours 30 minutes.
     */
    public static final Map<String, String> SMALLER_UNITS = Map.of("foot", "inch", "pound", "ounce", "hour", "minute",
            "minute", "second", "meter", "centimeter");

    // ---- topics, directions and feelings an opener must not guess ------------------------------------------------

    /**
     * A subject an assistant acts on or reports about.
     *
     * @param names the words an opener names it by ("timer", "forecast"), as said or in the singular: it may say them
     *        only when the conversation is about the subject
     * @param cues the conversation's words that say it is (the names too): "wake" for a timer, "umbrella" for the
     *        weather
     */
    public record Topic(Set<String> names, Set<String> cues) {
    }

    private static Topic topic(Set<String> names, String... cues) {
        Set<String> all = new HashSet<>(names);
        all.addAll(List.of(cues));
        return new Topic(names, Set.copyOf(all));
    }

    /**
     * The subjects a micro-model guesses when it knows too little of a request: the assistant's own functions and
     * reports ("Sure, I'll set a timer" for a sink to unclog, "Let me check the forecast" for the song that plays,
     * "The capital of" for "define serendipity"). Names with an everyday meaning besides ("steps" of a how-to,
     * "light" rain, a "fan", a "lock" screen, the "oven" of a recipe) are left out.
     */
    public static final List<Topic> TOPICS = List.of(
            topic(Set.of("timer", "alarm", "countdown", "stopwatch"), "wake", "snooze", "count", "ring", "beep"),
            topic(Set.of("reminder", "remind", "reminding", "calendar", "meeting", "appointment", "agenda",
                    "schedule"), "remember", "forget", "plan", "event", "scheduled", "book", "booked"),
            topic(Set.of("message", "text", "texting", "email", "reply", "voicemail", "inbox", "contact"), "tell", "know",
                    "send", "sent", "write", "notify", "ping", "sms", "whatsapp", "messaging", "call", "calling",
                    "phone", "dial"),
            topic(Set.of("weather", "forecast", "rain", "raining", "snow", "snowing", "umbrella", "sunny", "cloudy",
                    "windy", "storm", "humidity"), "jacket", "coat", "sweater", "shorts", "cold", "hot", "warm",
                    "outside", "sunscreen", "sun", "rainy", "wind", "temperature", "degree", "freezing", "boots",
                    "hike", "beach", "uv", "sunburn", "pollen", "humid", "thunderstorm", "thunder", "lightning", "hail",
                    "fog", "foggy", "icy", "ice", "picnic", "nice"),
            topic(Set.of("music", "song", "playlist", "album", "artist", "volume", "podcast", "radio", "station",
                    "play", "playing"), "track", "played", "listen", "listening", "louder", "quieter", "loud",
                    "quiet", "sound", "skip", "pause", "hear", "band", "sing", "singer", "mute", "spotify", "audio",
                    "put", "shuffle", "queue", "tune"),
            // playing music: each way of changing what plays is its own subject ("Resuming" for "pause it")
            topic(Set.of("pause", "pausing", "paused"), "stop", "hold", "wait", "sec", "second", "moment", "mute"),
            topic(Set.of("resume", "resuming", "resumed", "unpause"), "continue", "play", "playing", "start", "back"),
            topic(Set.of("skip", "skipping", "skipped"), "next", "another", "change", "hate"),
            topic(Set.of("previous", "rewind"), "back", "last", "before", "again"),
            topic(Set.of("repeat", "repeating", "loop"), "again", "replay"),
            // the home: each device is its own subject ("the kids' room dishwasher" for "close the blinds")
            topic(Set.of("lights", "lamp", "bulb", "lighting"), "light", "bright", "brighter", "brighten",
                    "brightness", "dim", "dimmer", "dark", "daylight"),
            topic(Set.of("thermostat", "heating", "heater", "temperature", "ac"), "warm", "warmer", "cool", "cooler",
                    "cold", "hot", "heat", "degree", "air", "conditioning", "freezing", "chilly"),
            topic(Set.of("blinds", "shades", "curtains"), "blind", "shade", "curtain", "window", "windows"),
            topic(Set.of("dishwasher"), "dishes"),
            topic(Set.of("vacuum", "vacuuming"), "clean", "cleaning", "robot", "floor"),
            topic(Set.of("purifier"), "air"),
            topic(Set.of("tv", "television"), "watch", "show", "channel", "netflix"),
            // rooms: a room the user did not name is a guess ("the kitchen lights" for "turn on the lights")
            topic(Set.of("kitchen")), topic(Set.of("bedroom")), topic(Set.of("bathroom")), topic(Set.of("basement")),
            topic(Set.of("hallway"), "hall"), topic(Set.of("attic")), topic(Set.of("nursery")),
            topic(Set.of("den")), topic(Set.of("garage")), topic(Set.of("porch")), topic(Set.of("patio")),
            topic(Set.of("living"), "lounge"),
            topic(Set.of("workout", "exercise", "calorie", "blood", "oxygen", "pulse", "ecg"), "walk", "walked",
                    "walking", "ran", "run", "running", "jog", "jogging", "gym", "fitness", "active", "activity",
                    "training", "train", "burn", "burned", "fit", "health", "breathing", "breath", "heart", "steps"),
            topic(Set.of("sleep"), "asleep", "slept", "nap", "bed", "bedtime", "tired", "insomnia", "rest", "night",
                    "awake", "sleepy"),
            topic(Set.of("capital", "country", "population", "continent"), "city", "nation", "where", "located"),
            topic(Set.of("battery", "charging"), "charge", "charger", "power", "plug"),
            topic(Set.of("route", "traffic", "navigation"), "drive", "driving", "directions", "navigate", "commute",
                    "map", "far", "walk"));

    /** Turning up and down: words of one sense each, an opener's and a conversation's ("louder" is "up"). */
    public static final Set<String> UP = Set.of("up", "louder", "higher", "raise", "raising", "increase",
            "increasing", "brighter", "brighten", "brightening", "warmer", "hotter", "boost", "boosting");

    /** See {@link #UP}. */
    public static final Set<String> DOWN = Set.of("down", "quieter", "softer", "lower", "lowering", "decrease",
            "decreasing", "dimmer", "dim", "dimming", "cooler", "colder", "reduce", "reducing");

    /** What a user says when a setting should go up: it is too quiet, too dark, too cold ("I can barely hear it"). */
    public static final Set<String> UP_CUES = Set.of("quiet", "dark", "cold", "freezing", "chilly", "hear");

    /** What a user says when a setting should go down: it is too loud, too bright, too hot. */
    public static final Set<String> DOWN_CUES = Set.of("loud", "noisy", "bright", "hot", "warm", "stuffy");

    /**
     * What is turned up or down, and the verbs that turn it: a conversation about none of them asks for no setting
     * (its "warmer" is weather), and in an opener "up" and "down" are directions only right after one of them
     * ("turning the volume down"; "pick up", "look it up", "calm down" are not).
     */
    public static final Set<String> TURNED = Set.of("turn", "turning", "turned", "crank", "cranking", "bump", "volume",
            "music", "sound", "brightness", "heat", "heating", "temperature", "thermostat", "fan", "light", "lights",
            "lamp", "ac");

    /** How an opener congratulates: only on good news the user's words bring. */
    public static final Set<String> CONGRATULATIONS = Set.of("congratulations", "congrats", "proud", "yay",
            "hooray");

    /** How an opener cheers: never on bad news alone ("That's wonderful" for "my interview went terribly"). */
    public static final Set<String> CHEERS = Set.of("wonderful", "fantastic", "awesome", "amazing", "exciting",
            "brilliant");

    /**
     * How an opener meets bad news: only on bad news the user's words bring. "sorry" counts only after
     * {@link #SYMPATHY_LEAD} ("I'm so sorry"), not as an apology ("Sorry, I can't", "I'm sorry, I can't").
     */
    public static final Set<String> SYMPATHY = Set.of("sorry", "tough", "rough", "awful", "terrible", "sad",
            "heartbreaking", "unfortunate", "frustrating", "stressful", "scary", "painful");

    /** The words after which "sorry" is sympathy rather than an apology: "I'm sorry", "so sorry", "really sorry". */
    public static final Set<String> SYMPATHY_LEAD = Set.of("i'm", "im", "am", "so", "really", "very", "truly");

    /** Words that turn the news word after them around: "not good" is bad news, "not bad" no news. */
    public static final Set<String> NEGATIONS = Set.of("not", "never", "no", "don't", "didn't", "isn't", "wasn't",
            "aren't", "won't", "can't", "dont", "didnt", "isnt", "wasnt");

    /** Words of a user's turn that bring good news or thanks. */
    public static final Set<String> GOOD_NEWS = Set.of("great", "good", "happy", "glad", "excited", "exciting",
            "thanks", "thank", "helpful", "passed", "won", "win", "promoted", "promotion", "engaged", "married",
            "love", "loved", "amazing", "awesome", "wonderful", "fantastic", "yay", "finally", "proud", "celebrate",
            "celebrating", "best", "nailed", "aced", "hired", "perfect", "beautiful", "finished", "completed",
            "graduated", "graduating", "accepted", "baby", "pregnant", "wedding", "champion", "championship", "raise",
            "congrats", "thrilled", "lucky", "incredible");

    /** Words of a user's turn that bring bad news or worry. */
    public static final Set<String> BAD_NEWS = Set.of("terrible", "terribly", "awful", "bad", "badly", "worse",
            "worst", "worried", "worry", "worrying", "stressed", "stress", "stressful", "anxious", "nervous",
            "scared", "afraid", "sad", "upset", "tired", "exhausted", "sick", "ill", "hurt", "hurts", "lost", "lose",
            "failed", "fail", "failing", "broke", "broken", "lonely", "angry", "mad", "frustrated", "depressed",
            "rough", "tough", "hard", "cancelled", "canceled", "died", "dead", "dying", "miss", "missed", "bored",
            "ugh", "hate", "sucks", "overwhelmed", "crying", "cried", "dumped", "fired", "rejected", "pain", "can't",
            "cannot", "struggling", "horrible", "terrified", "scary", "dreading", "dread", "panicking", "panic",
            "hospital", "crashed", "stuck", "alone", "forgot", "forgotten", "nobody", "heartbroken", "grieving",
            "funeral", "down");

    /** Phrases of a user's turn that bring bad news though a word of them seems good ("passed away"). */
    public static final List<String> BAD_NEWS_PHRASES = List.of("passed away", "laid off", "let go", "fell through",
            "broke up", "didn't get");

    /**
     * Words of a user's turn that name harm to someone (weapons, drugs, violence, self-harm, spying, breaking in),
     * judged in the singular and in each part of a hyphenated word ("guns", "self-harm"): on such a request an opener
     * only declines or comforts ({@link #SAFE_STARTS}). A harmless request that uses one ("kill a process") only loses
     * its opener: the cloud answers it.
     */
    public static final Set<String> HARM_WORDS = Set.of("bomb", "explosive", "grenade", "detonator", "molotov",
            "napalm", "thermite", "gun", "rifle", "pistol", "firearm", "ammo", "ammunition", "silencer", "suppressor",
            "weapon", "kill", "killing", "murder", "stab", "stabbing", "shoot", "shooting", "strangle", "choke",
            "poison", "poisoning", "poisonous", "poisoned", "assault", "kidnap", "kidnapping", "torture", "bleed",
            "harm", "revenge", "threaten", "threatening", "abuse", "meth", "methamphetamine", "cocaine", "heroin",
            "fentanyl", "lsd", "mdma", "narcotic", "roofie", "rohypnol", "ghb", "overdose", "suicide", "suicidal",
            "wrist", "lethal", "noose", "hack", "hacking", "hacked", "spy", "spying", "stalk", "stalking",
            "keylogger", "phishing", "steal", "stealing", "shoplift", "rob", "robbery", "burglar", "hotwire",
            "counterfeit", "launder", "laundering", "smuggle", "ransom", "toxic", "chloroform", "cyanide", "arsenic",
            "ricin", "anthrax", "spike", "spiking", "firebomb", "arson", "forge", "forged", "forgery", "oxycodone",
            "opioid", "xanax", "ketamine", "painless", "blackmail", "extort", "bully", "doxx", "dox", "suffocate",
            "drown");

    /** Phrases of a user's turn that name harm, beyond {@link #HARM_WORDS}: mostly self-harm said plainly. */
    public static final List<String> HARM_PHRASES = List.of("kill myself", "end my life", "end it all",
            "take them all", "want to die", "to not wake up", "never wake up", "cut myself", "hurt myself",
            "hang myself", "hurt someone", "without them knowing", "without her knowing", "without him knowing",
            "without them noticing", "without her noticing", "without him noticing", "fake id", "break into",
            "get back at", "burn down", "set fire", "make someone sick", "make him sick", "make her sick",
            "alive anymore", "be here anymore", "don't want to live", "dont want to live", "better off dead",
            "no reason to live", "jump off", "jumping off", "disappear forever", "slip something into",
            "in her drink", "in his drink", "into her drink", "into his drink", "in someone's drink",
            "into someone's drink",
            "where she lives", "where he lives", "follow her home", "follow him home", "hidden camera",
            "hide a camera", "read his texts", "read her texts");

    /** Phrases whose harm word is harmless ("bath bomb", "kill a process"): they are no harm. */
    public static final List<String> HARMLESS_PHRASES = List.of("bath bomb", "photo bomb", "glue gun", "nail gun",
            "water gun", "spray gun", "heat gun", "kill time", "kill a process", "kill the process", "kill the app",
            "kill the lights", "shoot a video", "shoot a photo", "photo shoot", "overdose on chocolate");

    /**
     * How an opener declines (lower case, straight apostrophes, no other punctuation): on a request that names no harm
     * a micro-model says so only because it does not know the request ("I'm not able to help" for "how do you clean
     * suede shoes"), and the cloud answers it instead.
     */
    public static final List<String> DECLINES = List.of("i can't help", "i cannot help", "i can't assist",
            "i can't do that", "i won't help", "i will not help", "i'm not able to", "i am not able to",
            "i'm unable to", "that's not something i can", "that isn't something i can", "sorry i can't",
            "sorry but i can't", "sorry but i won't", "sorry i won't", "i'm sorry but i can't", "i'm sorry i can't");

    /**
     * How an opener may start on a request that names harm: a whole decline or a word of comfort, in the demo model's
     * words and the usual others (lower case, apostrophes straight, no other punctuation). Once one is said, the
     * clause it starts may end; the opener stops there.
     */
    public static final List<String> SAFE_STARTS = List.of("i can't help with", "i can't help you", "i cannot help with",
            "i cannot help you", "i can't assist with", "i can't do that", "i won't help with", "i won't help you",
            "i will not help", "i'm not able to help", "i am not able to help", "i'm unable to help",
            "that's not something i can help", "that isn't something i can help", "sorry i can't help",
            "sorry but i can't help", "sorry but i won't help", "sorry i won't help", "i'm sorry but i can't help",
            "i'm sorry i can't help", "i'm so sorry", "i'm really sorry", "i'm sorry you're", "i'm sorry to hear",
            "i'm here for you", "i'm worried about you", "please reach out", "please talk to", "you're not alone",
            "that sounds really hard", "it sounds like you're going through", "it sounds like you're in pain");
}
