package io.quarkiverse.handoff.policy;

/** Where the opener stops and the cloud takes over. */
public enum HandoffPoint {
    /** After the plan's number of words. */
    AFTER_WORDS,
    /** At the first clause boundary (, ; : . ! ?) after the plan's number of words, bounded by twice that number. */
    CLAUSE_BOUNDARY,
    /** As soon as the opener's word confidence drops below the plan's threshold, or after the plan's words. */
    CONFIDENCE_DROP
}
