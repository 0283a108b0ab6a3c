package io.quarkiverse.handoff.runtime.observability;

/**
 * The Micrometer meters of the handoff extension, in Micrometer's dotted naming; a Prometheus registry exposes them
 * with underscores and unit suffixes (e.g. {@code handoff.opener.first.token} as
 * {@code handoff_opener_first_token_seconds_count}/{@code _sum}/{@code _max}, {@code handoff.corrections} as
 * {@code handoff_corrections_total}).
 * <p>
 * Every meter has the tag {@code profile} (the device profile of the request); timers that involve the continuation
 * also carry {@code continuator}.
 */
public final class HandoffMetrics {

    /** Timer: handoff start to the opener model's first token. */
    public static final String OPENER_FIRST_TOKEN = "handoff.opener.first.token";
    /** Timer: handoff start to the first complete opener word (what the user sees or hears first). */
    public static final String OPENER_FIRST_WORD = "handoff.opener.first.word";
    /** Timer: continuation request sent to the continuator's first token (the cloud's time to first token). */
    public static final String CLOUD_FIRST_TOKEN = "handoff.cloud.first.token";
    /** Timer: opener committed to the first continuation text delivered (the gap the user may notice). */
    public static final String SEAM_GAP = "handoff.seam.gap";
    /** Timer: the whole handoff. */
    public static final String TOTAL = "handoff.total";

    /** Counter: completed handoffs, tagged {@code strategy} (prefill, instruction, splice, local...) and {@code degraded}. */
    public static final String HANDOFFS = "handoff.handoffs";
    /** Counter: handoffs finished on the device because the cloud failed or missed its first-token deadline. */
    public static final String DEGRADED = "handoff.degraded";
    /** Counter: correction events, tagged {@code method} (explicit, natural, humorous or a custom one). */
    public static final String CORRECTIONS = "handoff.corrections";
    /** Counter: handoffs that ended in an error event, tagged {@code code}. */
    public static final String ERRORS = "handoff.errors";
    /**
     * Counter: where openers stopped, tagged {@code reason} (the {@code done} event's {@code openerStop.reason}, e.g.
     * {@code ungrounded-fact}) and {@code fact} (the guard's fact class, {@code none} for other stops).
     */
    public static final String OPENER_STOPS = "handoff.opener.stops";

    public static final String TAG_PROFILE = "profile";
    public static final String TAG_STRATEGY = "strategy";
    public static final String TAG_DEGRADED = "degraded";
    public static final String TAG_METHOD = "method";
    public static final String TAG_CODE = "code";
    public static final String TAG_CONTINUATOR = "continuator";
    public static final String TAG_REASON = "reason";
    public static final String TAG_FACT = "fact";

    private HandoffMetrics() {
    }
}
