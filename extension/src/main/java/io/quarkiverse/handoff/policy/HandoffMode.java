package io.quarkiverse.handoff.policy;

/** Who writes the reply. */
public enum HandoffMode {
    /** The micro-model opens, the cloud continues. */
    HYBRID,
    /** The micro-model writes the whole (short) reply: the cloud is unreachable or not wanted. */
    LOCAL_ONLY,
    /** No opener: the cloud answers alone, because it is expected to be faster than the opener would be. */
    CLOUD_ONLY
}
