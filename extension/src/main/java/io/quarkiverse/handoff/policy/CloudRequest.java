package io.quarkiverse.handoff.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * How the continuation request to the cloud model is shaped, per plan: a watch's reply is bounded by its token limit,
 * not by the word "concise" in a prompt. Each value reaches every provider that supports it (langchain4j's
 * {@code maxOutputTokens}, {@code temperature} and {@code stopSequences}); null leaves the provider's configured value.
 *
 * @param maxTokens the most tokens the cloud may write, or null for the provider's setting
 * @param temperature the cloud model's sampling temperature, or null for the provider's setting
 * @param stop sequences that end the cloud's answer (empty: none)
 */
public record CloudRequest(Integer maxTokens, Double temperature, List<String> stop) {

    /** The most stop sequences a request carries: OpenAI-protocol servers refuse more than 4. */
    public static final int MAX_STOP_SEQUENCES = 4;

    /** The provider's own settings. */
    public static final CloudRequest PROVIDER_DEFAULTS = new CloudRequest(null, null, List.of());

    public CloudRequest {
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (maxTokens != null && maxTokens < 1) {
            throw new IllegalArgumentException("cloud maxTokens must be >= 1, got " + maxTokens);
        }
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw new IllegalArgumentException("cloud temperature must be within [0, 2], got " + temperature);
        }
    }

    /**
     * This request narrowed by a caller's: the smaller token limit and temperature (a null on one side takes the
     * other's value), and this request's stop sequences followed by the caller's, each once, at most
     * {@value #MAX_STOP_SEQUENCES} (what OpenAI-protocol servers accept; a caller applies its own stop sequences to
     * the reply as well, so one left out here still ends the reply).
     */
    public CloudRequest narrowedBy(CloudRequest caller) {
        if (caller == null || caller.equals(PROVIDER_DEFAULTS)) {
            return this;
        }
        List<String> stops = new ArrayList<>(stop);
        caller.stop().stream().filter(s -> !stops.contains(s)).forEach(stops::add);
        stops.subList(Math.min(stops.size(), MAX_STOP_SEQUENCES), stops.size()).clear();
        return new CloudRequest(smaller(maxTokens, caller.maxTokens()), smaller(temperature, caller.temperature()),
                stops);
    }

    private static <T extends Comparable<T>> T smaller(T own, T caller) {
        if (own == null || caller == null) {
            return own == null ? caller : own;
        }
        return caller.compareTo(own) < 0 ? caller : own;
    }
}
