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
    NAME("name");

    private final String label;

    FactClass(String label) {
        this.label = label;
    }

    /** What a word of this class is, for people: "number", "date or time", "name". */
    public String label() {
        return label;
    }

    /** A modifiable copy of any collection of classes (EnumSet.copyOf fails on an empty collection of another type). */
    public static EnumSet<FactClass> copyOf(Collection<FactClass> classes) {
        return classes.isEmpty() ? EnumSet.noneOf(FactClass.class) : EnumSet.copyOf(classes);
    }
}
