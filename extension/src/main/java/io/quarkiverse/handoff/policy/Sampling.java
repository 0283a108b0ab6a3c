package io.quarkiverse.handoff.policy;

/**
 * How the opener model picks tokens.
 *
 * @param temperature 0 means greedy
 * @param topP nucleus sampling mass, 1 disables it
 * @param topK 0 disables it
 * @param repetitionPenalty 1 disables it
 * @param seed a fixed seed for reproducible openers, or null for a fresh random stream
 */
public record Sampling(double temperature, double topP, int topK, double repetitionPenalty, Long seed) {

    /** The paper's demo settings: temperature 0.5, then top-p 0.9. */
    public static final Sampling PAPER_DEFAULT = new Sampling(0.5, 0.9, 0, 1.0, null);

    public static final Sampling GREEDY = new Sampling(0, 1, 0, 1.0, null);

    public Sampling {
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("sampling temperature must be >= 0 (0 is greedy), got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("sampling top-p must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("sampling top-k must be >= 0 (0 disables it), got " + topK);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException("sampling repetition penalty must be > 0 (1 disables it), got "
                    + repetitionPenalty);
        }
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
