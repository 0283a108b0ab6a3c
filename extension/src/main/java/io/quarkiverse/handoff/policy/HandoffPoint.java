package io.quarkiverse.handoff.policy;

/** Where the opener stops and the cloud takes over. */
public enum HandoffPoint {
    /** After the plan's number of words. */
    AFTER_WORDS,
    /**
     * At the first clause boundary (after , ; : . ! ? or before a conjunction) after the plan's number of words, looked
     * for up to three times that number; the opener says whole clauses, and stops at the last clause boundary before a
     * word under the plan's confidence threshold.
     */
    CLAUSE_BOUNDARY,
    /** As soon as the opener's word confidence drops below the plan's threshold, or after the plan's words. */
    CONFIDENCE_DROP
}
