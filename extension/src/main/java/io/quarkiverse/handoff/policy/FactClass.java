package io.quarkiverse.handoff.policy;

import java.util.Collection;
import java.util.EnumSet;

/**
 * The kinds of fact-bearing words a grounded opener only says when the conversation already holds them (see
 * {@link HandoffPlan#groundedOnly()}): the micro-model cannot know them, so it would be guessing.
 */
public enum FactClass {
    /** Numbers and quantities: digits ("74", "5,201.1", "10th"), number words ("ten", "twenty-three", "dozen"). */
    NUMBER("number"),
    /** Dates and times: weekdays, months, "tomorrow", "tonight", "morning", "7:30", "6pm", "o'clock". */
    DATE_TIME("date or time"),
    /**
     * Names: a capitalized word that does not start a sentence and is not "I", and people named by their relation
     * ("mom", "grandma").
     */
    NAME("name"),
    /**
     * Words whose spelling the model guessed: it wrote the word in several tokens and continued the word's letters
     * with a token of probability under {@value #SPELLING_FLOOR} ("water" then "oto"). That is how a small model's
     * made-up words come out ("wateroto", "locugal"); a word the conversation holds may be said however it was
     * spelled. Also a copy the model did not finish: the start of a longer word of the conversation that is no word of
     * its vocabulary ("haik" for "haiku").
     */
    GUESSED_WORD("guessed word"),
    /**
     * Units of measure and arithmetic operations: what a number measures or how numbers combine is as much a fact as
     * the number ("60 minutes" for 60 kilos, "38 squared" for 38 plus 47). Another name of the same unit or operation
     * grounds it ("kilograms" by "kg", "divided" by "/", "degrees" by "Celsius").
     */
    UNIT("unit or operation"),
    /**
     * What the assistant acts on or reports: its functions and subjects ("timer", "message", "forecast", "volume",
     * "thermostat", "workout", "capital", each device and room of a home), said only when the user's or the
     * assistant's turns are about that subject ("umbrella" grounds "forecast", "tell" grounds "message"). A
     * micro-model that knows too little of a request falls back on the subjects it saw most: "Sure, I'll set a timer"
     * for a sink to unclog.
     */
    TOPIC("subject"),
    /**
     * The way a setting is turned, in a conversation about a setting: "up", "louder", "brighter", "warmer" or "down",
     * "quieter", "dimmer", "cooler", said only when the conversation asks that way, in words or by a state ("too
     * loud" asks for down): "Turning the volume down" for "turn the volume up" stops before "down"; so does "turning
     * the thermostat down" for "set the thermostat to 68".
     */
    DIRECTION("direction"),
    /**
     * How the opener meets the user's news: congratulations only on good news the user's words bring, sympathy
     * ("tough", "I'm so sorry") only on bad news, cheers ("wonderful") unless the news is only bad: "That's wonderful,
     * congratulations!" for "my interview went terribly" stops before "wonderful".
     */
    FEELING("feeling"),
    /**
     * The reply's stance: whether to go along with a request. A micro-model cannot tell a harmful request from a
     * harmless one it has not seen, so on a request that names harm (weapons, drugs, violence, self-harm, spying on
     * someone: the runtime's list of such words and phrases) an opener only declines or comforts ("I can't help with
     * that", "I'm so sorry you're"), and any other start stops it before its first word ("Sure! If you want" for a
     * rifle to convert to full auto); on any other request it never declines ("I'm not able to help" for how to clean
     * suede shoes). Words that may start either are held back until the stance is settled, so none of a dropped one is
     * said; the cloud answers alone.
     */
    SAFETY("stance the request does not call for");

    /** The stances {@link #SAFETY} keeps an opener from, for people. */
    public static final String UNWARRANTED_STANCES = "declining a harmless request, going along with a harmful one";

    /**
     * Under this probability, a token that continues a word's letters makes it a {@link #GUESSED_WORD}. Measured on
     * the demo model's openers of 110 held-out requests (greedy and sampled): of the words it wrote in several tokens,
     * it stops 75 % of those that are not English and 19 % of those that are (docs/policies.md).
     */
    public static final double SPELLING_FLOOR = 0.3;

    private final String label;

    FactClass(String label) {
        this.label = label;
    }

    /** What a word of this class is, for people: "number", "date or time", "name". */
    public String label() {
        return label;
    }

    /**
     * Why a grounded opener stopped before this word, for people: "\"Lima.\" is a name the conversation does not
     * contain".
     */
    public String stopReason(String word) {
        return this == SAFETY
                ? "\"" + word + "\" takes a " + label + " (" + UNWARRANTED_STANCES + ")"
                : "\"" + word + "\" is a " + label + " the conversation does not contain";
    }

    /** A modifiable copy of any collection of classes (EnumSet.copyOf fails on an empty collection of another type). */
    public static EnumSet<FactClass> copyOf(Collection<FactClass> classes) {
        return classes.isEmpty() ? EnumSet.noneOf(FactClass.class) : EnumSet.copyOf(classes);
    }
}
