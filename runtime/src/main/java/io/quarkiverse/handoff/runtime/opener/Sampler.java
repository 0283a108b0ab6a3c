package io.quarkiverse.handoff.runtime.opener;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.quarkiverse.handoff.policy.Sampling;

/**
 * Picks the next token from logits the way Hugging Face {@code generate} does: repetition penalty, then temperature,
 * top-k and top-p, then a draw (or argmax when greedy). Reuses its buffers: one sampler per decode.
 */
public final class Sampler {

    /**
     * Tokens whose probability is below this fraction of the most likely token's are left out of top-p sorting. Their
     * total mass is below {@code vocab * 1e-9} of the top token's, so the nucleus they could change is negligible, and
     * leaving them out avoids sorting the whole vocabulary at every step.
     */
    private static final double NEGLIGIBLE_RATIO = 1e-9;

    /** Floors tried, highest first, to sort only the likely tokens (a flat distribution needs a low one). */
    private static final double[] FLOORS = { 1e-1, 1e-2, 1e-3, 1e-4, 1e-6 };

    private final Sampling sampling;
    private final double minProbability;
    private final SplittableRandom random;
    private final boolean[] seen;
    private final float[] scratch;
    private final long[] candidates;

    public Sampler(Sampling sampling, int vocabSize) {
        this(sampling, vocabSize, 0);
    }

    /**
     * @param minProbability draws only tokens the model itself gives at least this probability (its softmax at
     *        temperature 1), whenever it gives one that much; 0 for none. A speech opener cannot take a word back, so
     *        it does not roll the dice on a word the model doubts: whether it stops for doubt then depends on the
     *        model, not on the draw.
     */
    public Sampler(Sampling sampling, int vocabSize, double minProbability) {
        this.sampling = sampling;
        this.minProbability = minProbability;
        this.random = sampling.seed() != null ? new SplittableRandom(sampling.seed()) : new SplittableRandom();
        this.seen = new boolean[vocabSize];
        this.scratch = new float[vocabSize];
        this.candidates = new long[vocabSize];
    }

    /** Tells the sampler about tokens already in the context, for the repetition penalty. */
    public void observe(int token) {
        if (token >= 0 && token < seen.length) {
            seen[token] = true;
        }
    }

    /** The result of one draw: the token and the probability the model gave it (before sampling warpers). */
    public record Pick(int token, double probability) {
    }

    public Pick next(float[] logits) {
        // x: the logits the pick is made from (penalized in the scratch buffer, else the model's own, read only)
        float[] x = logits;
        double penalty = sampling.repetitionPenalty();
        if (penalty != 1.0) {
            x = scratch;
            System.arraycopy(logits, 0, x, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                if (seen[i]) {
                    x[i] = (float) (x[i] < 0 ? x[i] * penalty : x[i] / penalty);
                }
            }
        }
        int best = argmax(x);
        // the model's own softmax (temperature 1, no penalty), for the reported probability: one pass over the vocab
        double modelMax = logits[x == logits ? best : argmax(logits)];
        double modelSum = 0;
        for (float l : logits) {
            modelSum += Math.exp(l - modelMax);
        }
        if (sampling.greedy()) {
            return new Pick(best, Math.exp(logits[best] - modelMax) / modelSum);
        }
        // the lowest logit a drawn token may have; -inf when there is no floor or no token reaches it
        double minLogit = Double.NEGATIVE_INFINITY;
        if (minProbability > 0 && 1 / modelSum >= minProbability) {
            minLogit = modelMax + Math.log(minProbability * modelSum);
            if (logits[best] < minLogit) {
                best = -1;
                for (int i = 0; i < x.length; i++) {
                    if (logits[i] >= minLogit && (best < 0 || x[i] > x[best])) {
                        best = i;
                    }
                }
            }
        }

        double inverseTemperature = 1.0 / sampling.temperature();
        double max = x[best];
        double sum = 0;
        float[] e = scratch;
        for (int i = 0; i < x.length; i++) {
            double v = logits[i] >= minLogit ? Math.exp((x[i] - max) * inverseTemperature) : 0;
            e[i] = (float) v;
            sum += v;
        }
        x = e;
        // The nucleus is made of the most likely tokens: only tokens above a floor need sorting, the highest floor
        // (relative to the top token) above which there are enough of them: top-k tokens, or the top-p mass.
        int topK = sampling.topK();
        double total = 0;
        for (float v : x) {
            if (v >= NEGLIGIBLE_RATIO) {
                total += v;
            }
        }
        double floor = NEGLIGIBLE_RATIO;
        for (double ratio : FLOORS) {
            int count = 0;
            double mass = 0;
            for (float v : x) {
                if (v >= ratio) {
                    count++;
                    mass += v;
                }
            }
            if (topK > 0 ? count >= topK : mass >= sampling.topP() * total) {
                floor = ratio;
                break;
            }
        }
        // candidates: (probability bits << 32 | token), sorted ascending by probability
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] >= floor) {
                candidates[n++] = ((long) Float.floatToIntBits((float) (x[i] / sum)) << 32) | i;
            }
        }
        Arrays.sort(candidates, 0, n);
        int keep = n;
        double kept = total / sum;
        if (topK > 0 && topK < n) {
            keep = topK;
        }
        if (topK > 0) {
            // top-p applies to the distribution left by top-k, renormalized (as Hugging Face chains the two warpers)
            kept = 0;
            for (int j = 0; j < keep; j++) {
                kept += probability(candidates[n - 1 - j]);
            }
        }
        double target = sampling.topP() * kept;
        double mass = 0;
        int nucleus = 0;
        for (int j = 0; j < keep; j++) {
            mass += probability(candidates[n - 1 - j]);
            nucleus++;
            if (mass >= target) {
                break;
            }
        }
        double draw = random.nextDouble() * mass;
        double cumulative = 0;
        for (int j = 0; j < nucleus; j++) {
            long c = candidates[n - 1 - j];
            cumulative += probability(c);
            if (draw < cumulative || j == nucleus - 1) {
                int token = (int) (c & 0xffffffffL);
                return new Pick(token, Math.exp(logits[token] - modelMax) / modelSum);
            }
        }
        throw new IllegalStateException("unreachable: empty nucleus");
    }

    private static float probability(long candidate) {
        return Float.intBitsToFloat((int) (candidate >>> 32));
    }

    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The model's own softmax probability of a token (temperature 1), the confidence signal. */
    static double probabilityOf(float[] logits, int token) {
        double max = logits[argmax(logits)];
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return Math.exp(logits[token] - max) / sum;
    }
}
