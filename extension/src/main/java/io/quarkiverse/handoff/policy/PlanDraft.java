package io.quarkiverse.handoff.policy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The plan while rules are deciding it. Rules set its properties; the planner bounds and freezes it into a
 * {@link HandoffPlan}. Starts from the defaults of a 6-word hybrid opener with natural redirection and the paper's
 * sampling.
 */
public class PlanDraft {

    public static final int MIN_OPENER_WORDS = 1;
    public static final int MAX_OPENER_WORDS = 16;

    private HandoffMode mode = HandoffMode.HYBRID;
    private int openerWords = 6;
    private HandoffPoint handoffPoint = HandoffPoint.AFTER_WORDS;
    private double confidenceThreshold = 0.2;
    private String recoveryMethod = "natural";
    private double temperature = Sampling.PAPER_DEFAULT.temperature();
    private double topP = Sampling.PAPER_DEFAULT.topP();
    private int topK = 0;
    private double repetitionPenalty = 1.0;
    private Long seed;
    private long cloudFirstTokenDeadlineMs = 4000;
    private boolean maskPii;
    private boolean speculativeCloudStart;
    private boolean groundedOnly;
    private EnumSet<FactClass> factClasses = EnumSet.allOf(FactClass.class);
    private Integer cloudMaxTokens;
    private Double cloudTemperature;
    private List<String> cloudStop = List.of();
    private final List<String> reasons = new ArrayList<>();

    /**
     * Rules may add a human-readable reason for their decision: the plan reports it with the rule that gave it
     * ({@link FiredRule#reasons()} in {@link HandoffPlan#rules()}).
     */
    public void because(String reason) {
        if (reason != null && !reason.isBlank()) {
            reasons.add(reason);
        }
    }

    /** Every reason given so far, in order. */
    public List<String> getReasons() {
        return List.copyOf(reasons);
    }

    /**
     * Freezes the draft for a planner that knows its rules by name only (no package, no reasons), bounding the opener
     * length to [MIN, MAX] words.
     */
    public HandoffPlan toPlan(String profile, List<String> firedRules) {
        return freeze(profile, firedRules.stream().map(FiredRule::nameOnly).toList());
    }

    /** Freezes the draft with the rules that fired, in order, bounding the opener length to [MIN, MAX] words. */
    public HandoffPlan freeze(String profile, List<FiredRule> rules) {
        int words = mode == HandoffMode.CLOUD_ONLY ? 0
                : Math.max(MIN_OPENER_WORDS, Math.min(MAX_OPENER_WORDS, openerWords));
        return new HandoffPlan(profile, mode, words, handoffPoint, confidenceThreshold, recoveryMethod,
                new Sampling(temperature, topP, topK, repetitionPenalty, seed), cloudFirstTokenDeadlineMs, maskPii,
                rules.stream().map(FiredRule::name).toList(), speculativeCloudStart, groundedOnly, factClasses,
                new CloudRequest(cloudMaxTokens, cloudTemperature, cloudStop), rules);
    }

    /** The most tokens the cloud may write (null: the provider's setting). */
    public Integer getCloudMaxTokens() {
        return cloudMaxTokens;
    }

    public void setCloudMaxTokens(Integer cloudMaxTokens) {
        this.cloudMaxTokens = cloudMaxTokens;
    }

    /** The cloud model's temperature (null: the provider's setting). */
    public Double getCloudTemperature() {
        return cloudTemperature;
    }

    public void setCloudTemperature(Double cloudTemperature) {
        this.cloudTemperature = cloudTemperature;
    }

    /** Sequences that end the cloud's answer. */
    public List<String> getCloudStop() {
        return cloudStop;
    }

    public void setCloudStop(List<String> cloudStop) {
        this.cloudStop = cloudStop == null ? List.of() : List.copyOf(cloudStop);
    }

    public HandoffMode getMode() {
        return mode;
    }

    public void setMode(HandoffMode mode) {
        this.mode = mode;
    }

    public int getOpenerWords() {
        return openerWords;
    }

    public void setOpenerWords(int openerWords) {
        this.openerWords = openerWords;
    }

    public HandoffPoint getHandoffPoint() {
        return handoffPoint;
    }

    public void setHandoffPoint(HandoffPoint handoffPoint) {
        this.handoffPoint = handoffPoint;
    }

    public double getConfidenceThreshold() {
        return confidenceThreshold;
    }

    public void setConfidenceThreshold(double confidenceThreshold) {
        this.confidenceThreshold = confidenceThreshold;
    }

    public String getRecoveryMethod() {
        return recoveryMethod;
    }

    public void setRecoveryMethod(String recoveryMethod) {
        this.recoveryMethod = recoveryMethod;
    }

    public double getTemperature() {
        return temperature;
    }

    public void setTemperature(double temperature) {
        this.temperature = temperature;
    }

    public double getTopP() {
        return topP;
    }

    public void setTopP(double topP) {
        this.topP = topP;
    }

    public int getTopK() {
        return topK;
    }

    public void setTopK(int topK) {
        this.topK = topK;
    }

    public double getRepetitionPenalty() {
        return repetitionPenalty;
    }

    public void setRepetitionPenalty(double repetitionPenalty) {
        this.repetitionPenalty = repetitionPenalty;
    }

    public Long getSeed() {
        return seed;
    }

    public void setSeed(Long seed) {
        this.seed = seed;
    }

    public long getCloudFirstTokenDeadlineMs() {
        return cloudFirstTokenDeadlineMs;
    }

    public void setCloudFirstTokenDeadlineMs(long cloudFirstTokenDeadlineMs) {
        this.cloudFirstTokenDeadlineMs = cloudFirstTokenDeadlineMs;
    }

    public boolean isMaskPii() {
        return maskPii;
    }

    public void setMaskPii(boolean maskPii) {
        this.maskPii = maskPii;
    }

    public boolean isSpeculativeCloudStart() {
        return speculativeCloudStart;
    }

    /**
     * Also ask the cloud for a plain answer when the handoff starts (a second cloud request per handoff): it becomes
     * the reply when the opener ends up empty or fails, and is cancelled as soon as the opener commits words.
     */
    public void setSpeculativeCloudStart(boolean speculativeCloudStart) {
        this.speculativeCloudStart = speculativeCloudStart;
    }

    public boolean isGroundedOnly() {
        return groundedOnly;
    }

    /**
     * Whether the opener stops right before a fact-bearing word (of {@link #getFactClasses()}) that the conversation
     * does not contain: the micro-model would be guessing it, so the cloud says it.
     */
    public void setGroundedOnly(boolean groundedOnly) {
        this.groundedOnly = groundedOnly;
    }

    public Set<FactClass> getFactClasses() {
        return factClasses.clone();
    }

    /** Which fact-bearing words must be grounded in the conversation when {@link #isGroundedOnly()}; all by default. */
    public void setFactClasses(Set<FactClass> factClasses) {
        this.factClasses = FactClass.copyOf(factClasses);
    }
}
