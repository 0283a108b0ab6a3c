package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.policy.Sampling;

/**
 * The sampler against hand-made logits: the Hugging Face semantics of repetition penalty, temperature, top-k and top-p
 * (TopPLogitsWarper keeps the smallest most-likely set whose mass reaches top-p, computed on what top-k left), and the
 * reported probability (the model's own softmax, before any warper).
 */
class SamplerTest {

    static final int DRAWS = 20_000;
    static final double TOLERANCE = 0.015;

    static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    static Sampling sampling(double temperature, double topP, int topK, double penalty) {
        return new Sampling(temperature, topP, topK, penalty, 7L);
    }

    /** The observed frequency of each token over many seeded draws. */
    static double[] frequencies(Sampler sampler, float[] logits) {
        double[] counts = new double[logits.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.next(logits).token()]++;
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] /= DRAWS;
        }
        return counts;
    }

    static void assertDistribution(double[] observed, double... expected) {
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == 0) {
                assertThat(observed[i]).as("token %d is outside the kept set", i).isZero();
            } else {
                assertThat(observed[i]).as("frequency of token %d", i).isCloseTo(expected[i], within(TOLERANCE));
            }
        }
    }

    @Test
    void greedyPicksTheArgmaxAndReportsItsSoftmaxProbability() {
        float[] logits = logitsOf(0.1, 0.6, 0.3);
        Sampler.Pick pick = new Sampler(Sampling.GREEDY, 3).next(logits);
        assertThat(pick.token()).isEqualTo(1);
        assertThat(pick.probability()).isCloseTo(0.6, within(1e-6));
    }

    @Test
    void temperatureOneDrawsFromTheSoftmax() {
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05);
        assertDistribution(frequencies(new Sampler(sampling(1, 1, 0, 1), 4), logits), 0.5, 0.3, 0.15, 0.05);
    }

    @Test
    void temperatureSharpensOrFlattens() {
        float[] logits = { (float) Math.log(2), 0 };
        // p0 = 2^(1/T) / (2^(1/T) + 1)
        assertDistribution(frequencies(new Sampler(sampling(0.5, 1, 0, 1), 2), logits), 0.8, 0.2);
        assertDistribution(frequencies(new Sampler(sampling(2, 1, 0, 1), 2), logits),
                Math.sqrt(2) / (Math.sqrt(2) + 1), 1 / (Math.sqrt(2) + 1));
        // a very low temperature is practically greedy
        double[] cold = frequencies(new Sampler(sampling(0.01, 1, 0, 1), 2), logits);
        assertThat(cold[0]).isEqualTo(1.0);
    }

    @Test
    void theReportedProbabilityIgnoresTheWarpers() {
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05);
        Sampler sampler = new Sampler(sampling(0.3, 0.5, 1, 1), 4);
        Sampler.Pick pick = sampler.next(logits);
        assertThat(pick.token()).isZero();
        assertThat(pick.probability()).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void topKKeepsTheKMostLikelyRenormalized() {
        float[] logits = { 3, 2, 1, 0, -1 };
        double e3 = Math.exp(3);
        double e2 = Math.exp(2);
        assertDistribution(frequencies(new Sampler(sampling(1, 1, 2, 1), 5), logits), e3 / (e3 + e2),
                e2 / (e3 + e2), 0, 0, 0);
        assertDistribution(frequencies(new Sampler(sampling(1, 1, 1, 1), 5), logits), 1, 0, 0, 0, 0);
    }

    @Test
    void topPKeepsTheSmallestSetReachingTheMass() {
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05);
        // 0.5 < 0.75 <= 0.5 + 0.3: tokens 0 and 1, renormalized
        assertDistribution(frequencies(new Sampler(sampling(1, 0.75, 0, 1), 4), logits), 0.625, 0.375, 0, 0);
        // 0.8 < 0.85 <= 0.95: three tokens
        assertDistribution(frequencies(new Sampler(sampling(1, 0.85, 0, 1), 4), logits), 0.5 / 0.95, 0.3 / 0.95,
                0.15 / 0.95, 0);
        // the most likely token alone already reaches 0.4: always kept, never empty
        assertDistribution(frequencies(new Sampler(sampling(1, 0.4, 0, 1), 4), logits), 1, 0, 0, 0);
    }

    @Test
    void topPAppliesToTheTemperatureScaledDistribution() {
        // at T=0.5, p ~ p^2: 0.25, 0.09, 0.0225, 0.0025, normalized 0.685, 0.247, 0.062, 0.007
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05);
        double z = 0.25 + 0.09 + 0.0225 + 0.0025;
        // 0.685 < 0.9 <= 0.932: tokens 0 and 1
        assertDistribution(frequencies(new Sampler(sampling(0.5, 0.9, 0, 1), 4), logits),
                0.25 / 0.34, 0.09 / 0.34, 0, 0);
        assertThat(0.25 / z).isLessThan(0.9);
        assertThat((0.25 + 0.09) / z).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void topPIsTakenOnWhatTopKLeft() {
        // top-k 2 leaves 0.625 / 0.375; top-p 0.6 is reached by token 0 alone (Hugging Face chains the warpers)
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05);
        assertDistribution(frequencies(new Sampler(sampling(1, 0.6, 2, 1), 4), logits), 1, 0, 0, 0);
        // top-p 0.7 needs both
        assertDistribution(frequencies(new Sampler(sampling(1, 0.7, 2, 1), 4), logits), 0.625, 0.375, 0, 0);
    }

    @Test
    void aFlatDistributionOverALargeVocabularyKeepsTheExactNucleus() {
        // 5000 tokens with slowly decreasing logits: the nucleus holds hundreds of tokens
        int vocab = 5000;
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[(i * 7919) % vocab] = -0.002f * i; // shuffled positions
        }
        for (double topP : new double[] { 0.3, 0.9 }) {
            // brute force: sort by probability, take the smallest prefix reaching top-p
            double[] p = softmax(logits);
            Integer[] order = new Integer[vocab];
            for (int i = 0; i < vocab; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
            Set<Integer> nucleus = new HashSet<>();
            double mass = 0;
            for (int i = 0; mass < topP; i++) {
                nucleus.add(order[i]);
                mass += p[order[i]];
            }
            Sampler sampler = new Sampler(sampling(1, topP, 0, 1), vocab);
            Set<Integer> drawn = new HashSet<>();
            for (int i = 0; i < 6_000; i++) {
                drawn.add(sampler.next(logits).token());
            }
            assertThat(nucleus).as("top-p %s", topP).containsAll(drawn);
            assertThat((double) drawn.size()).isGreaterThan(0.8 * nucleus.size());
        }
        // top-k over the same flat distribution
        Sampler topK = new Sampler(sampling(1, 1, 50, 1), vocab);
        for (int i = 0; i < 2000; i++) {
            int token = topK.next(logits).token();
            assertThat(logits[token]).isGreaterThanOrEqualTo(-0.002f * 49 - 1e-6f);
        }
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokens() {
        // as transformers' RepetitionPenaltyLogitsProcessor: seen 0 (2.0 -> 1.0) and 1 (-1.0 -> -2.0)
        float[] logits = { 2.0f, -1.0f, 1.5f, -1.5f };
        Sampler greedy = new Sampler(new Sampling(0, 1, 0, 2.0, null), 4);
        assertThat(greedy.next(logits).token()).as("no token seen yet").isZero();
        greedy.observe(0);
        greedy.observe(1);
        Sampler.Pick pick = greedy.next(logits);
        assertThat(pick.token()).isEqualTo(2);
        // the reported probability is the model's, without the penalty
        assertThat(pick.probability()).isCloseTo(softmax(logits)[2], within(1e-6));

        // sampled: the distribution is the softmax of the penalized logits 1.0, -2.0, 1.5, -1.5
        Sampler sampler = new Sampler(sampling(1, 1, 0, 2.0), 4);
        sampler.observe(0);
        sampler.observe(1);
        assertDistribution(frequencies(sampler, logits), softmax(new float[] { 1.0f, -2.0f, 1.5f, -1.5f }));
    }

    @Test
    void aPenaltyOnANegativeLogitPushesItFurtherDown() {
        float[] logits = { -0.5f, -0.6f };
        Sampler greedy = new Sampler(new Sampling(0, 1, 0, 1.3, null), 2);
        greedy.observe(0);
        // -0.5 * 1.3 = -0.65 < -0.6 (dividing would have raised it to -0.38)
        assertThat(greedy.next(logits).token()).isEqualTo(1);
    }

    @Test
    void aProbabilityFloorDrawsOnlyTokensTheModelGivesThatMuch() {
        // 0.5 and 0.3 reach the floor of 0.15; 0.1 and 0.1 do not: the draw renormalizes over the first two
        float[] logits = logitsOf(0.5, 0.3, 0.1, 0.1);
        assertDistribution(frequencies(new Sampler(sampling(1.0, 1.0, 0, 1.0), 4, 0.15), logits),
                0.5 / 0.8, 0.3 / 0.8, 0, 0);
    }

    @Test
    void theFloorIsTakenOnTheModelsOwnProbabilityNotOnThePenalizedOne() {
        // token 0 is seen and penalized below token 1, but the model gives it 0.5: it stays eligible; token 2 does not
        float[] logits = logitsOf(0.5, 0.4, 0.1);
        Sampler sampler = new Sampler(sampling(1.0, 1.0, 0, 100.0), 3, 0.3);
        sampler.observe(0);
        double[] observed = frequencies(sampler, logits);
        assertThat(observed[2]).isZero();
        assertThat(observed[0] + observed[1]).isEqualTo(1.0);
    }

    @Test
    void whenNoTokenReachesTheFloorTheDrawIsUnrestricted() {
        // the model doubts every token: the floor does not apply, and the doubtful pick is reported as such
        float[] logits = logitsOf(0.25, 0.25, 0.25, 0.25);
        Sampler sampler = new Sampler(sampling(1.0, 1.0, 0, 1.0), 4, 0.3);
        assertDistribution(frequencies(sampler, logits), 0.25, 0.25, 0.25, 0.25);
        assertThat(sampler.next(logits).probability()).isCloseTo(0.25, within(1e-6));
    }

    @Test
    void theSamplerDoesNotChangeTheLogits() {
        float[] logits = { 2.0f, -1.0f, 1.5f };
        float[] copy = logits.clone();
        Sampler sampler = new Sampler(sampling(0.7, 0.9, 2, 1.5), 3);
        sampler.observe(0);
        sampler.observe(1);
        sampler.next(logits);
        assertThat(logits).containsExactly(copy);
    }

    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
