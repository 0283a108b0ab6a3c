package io.quarkiverse.handoff.policy;

/**
 * The facts a policy decides on, as a JavaBean so that rule files can match on its properties
 * ({@code PlanningFacts(profile == "watch", expectedCloudFirstTokenMs > 1500)}). Unknown numbers are null.
 */
public class PlanningFacts {

    private String profile;
    private Modality modality;
    private double wordsPerSecond;
    private Double rttMs;
    private Double expectedCloudFirstTokenMs;
    private Double assumedCloudFirstTokenMs;
    private Double expectedOpenerFirstWordMs;
    private Integer batteryPercent;
    private String thermalState;
    private int turnIndex;
    private Double openerConfidence;
    private String privacyLevel = "normal";
    private boolean cloudReachable = true;

    public static PlanningFacts of(DeviceProfile profile, DeviceFacts device) {
        PlanningFacts facts = new PlanningFacts();
        facts.setProfile(profile.name());
        Modality modality = device.modality() != null ? device.modality() : profile.modality();
        facts.setModality(modality);
        // a device that says it speaks (or shows) the reply is heard (or read) at that modality's rate
        facts.setWordsPerSecond(modality == profile.modality() ? profile.wordsPerSecond()
                : modality.defaultWordsPerSecond());
        facts.setRttMs(device.rttMs());
        facts.setBatteryPercent(device.batteryPercent());
        facts.setThermalState(device.thermalState());
        if (device.privacyLevel() != null) {
            facts.setPrivacyLevel(device.privacyLevel());
        }
        return facts;
    }

    /** How long the user takes to hear or read {@code words} words on this device. */
    public double millisToDeliver(int words) {
        return words * 1000.0 / wordsPerSecond;
    }

    /**
     * An opener {@code by} words shorter, but never below 2 words nor below what covers the cloud's expected latency
     * (when it was already shorter, it stays as it is): for device-condition rules, which save decoding on the device
     * but must not leave the user in silence before the cloud's first word.
     */
    public int shortened(int words, int by, double cloudMillis) {
        int floor = Math.min(words, Math.max(2, wordsToCover(cloudMillis)));
        return Math.max(floor, words - by);
    }

    /**
     * How many words the user needs to hear or read on this device to be kept busy for {@code millis} ms: rules use it
     * to size an opener that covers the cloud's expected first-token latency.
     */
    public int wordsToCover(double millis) {
        if (!(millis > 0) || !(wordsPerSecond > 0)) {
            return 0;
        }
        return (int) Math.ceil(millis * wordsPerSecond / 1000.0 - 1e-9);
    }

    public String getProfile() {
        return profile;
    }

    public void setProfile(String profile) {
        this.profile = profile;
    }

    public Modality getModality() {
        return modality;
    }

    public void setModality(Modality modality) {
        this.modality = modality;
    }

    public double getWordsPerSecond() {
        return wordsPerSecond;
    }

    public void setWordsPerSecond(double wordsPerSecond) {
        this.wordsPerSecond = wordsPerSecond;
    }

    public Double getRttMs() {
        return rttMs;
    }

    public void setRttMs(Double rttMs) {
        this.rttMs = rttMs;
    }

    /** The measured cloud first-token latency (a moving average of recent measurements); null when not measured. */
    public Double getExpectedCloudFirstTokenMs() {
        return expectedCloudFirstTokenMs;
    }

    public void setExpectedCloudFirstTokenMs(Double expectedCloudFirstTokenMs) {
        this.expectedCloudFirstTokenMs = expectedCloudFirstTokenMs;
    }

    /**
     * The cloud first-token latency assumed when nothing was measured and the device reported no round trip
     * ({@code quarkus.handoff.policy.cloud.initial-first-token-ms}); null when there is no assumption.
     */
    public Double getAssumedCloudFirstTokenMs() {
        return assumedCloudFirstTokenMs;
    }

    public void setAssumedCloudFirstTokenMs(Double assumedCloudFirstTokenMs) {
        this.assumedCloudFirstTokenMs = assumedCloudFirstTokenMs;
    }

    public Double getExpectedOpenerFirstWordMs() {
        return expectedOpenerFirstWordMs;
    }

    public void setExpectedOpenerFirstWordMs(Double expectedOpenerFirstWordMs) {
        this.expectedOpenerFirstWordMs = expectedOpenerFirstWordMs;
    }

    public Integer getBatteryPercent() {
        return batteryPercent;
    }

    public void setBatteryPercent(Integer batteryPercent) {
        this.batteryPercent = batteryPercent;
    }

    public String getThermalState() {
        return thermalState;
    }

    public void setThermalState(String thermalState) {
        this.thermalState = thermalState;
    }

    public int getTurnIndex() {
        return turnIndex;
    }

    public void setTurnIndex(int turnIndex) {
        this.turnIndex = turnIndex;
    }

    public Double getOpenerConfidence() {
        return openerConfidence;
    }

    public void setOpenerConfidence(Double openerConfidence) {
        this.openerConfidence = openerConfidence;
    }

    public String getPrivacyLevel() {
        return privacyLevel;
    }

    public void setPrivacyLevel(String privacyLevel) {
        this.privacyLevel = privacyLevel;
    }

    public boolean isCloudReachable() {
        return cloudReachable;
    }

    public void setCloudReachable(boolean cloudReachable) {
        this.cloudReachable = cloudReachable;
    }

    @Override
    public String toString() {
        return "PlanningFacts[profile=" + profile + ", modality=" + modality + ", wordsPerSecond=" + wordsPerSecond
                + ", rttMs=" + rttMs + ", expectedCloudFirstTokenMs=" + expectedCloudFirstTokenMs
                + ", assumedCloudFirstTokenMs=" + assumedCloudFirstTokenMs + ", expectedOpenerFirstWordMs="
                + expectedOpenerFirstWordMs
                + ", batteryPercent=" + batteryPercent + ", thermalState=" + thermalState + ", turnIndex="
                + turnIndex + ", privacyLevel=" + privacyLevel + ", cloudReachable=" + cloudReachable + "]";
    }
}
