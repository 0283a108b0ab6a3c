package io.quarkiverse.handoff.runtime.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class CloudConditionsTest {

    @Test
    void seededByTheInitialLatencyUntilMeasured() {
        CloudConditions cloud = new CloudConditions(OptionalDouble.of(1200), 0.3);
        assertThat(cloud.expectedCloudFirstTokenMs("openai").getAsDouble()).isEqualTo(1200);
        assertThat(cloud.expectedCloudFirstTokenMs(null).getAsDouble()).isEqualTo(1200);
        assertThat(cloud.cloudSamples("openai")).isZero();
    }

    @Test
    void firstMeasurementReplacesTheSeedThenMovingAverage() {
        CloudConditions cloud = new CloudConditions(OptionalDouble.of(1200), 0.5);
        cloud.recordCloudFirstToken("openai", 400);
        assertThat(cloud.expectedCloudFirstTokenMs("openai").getAsDouble()).isEqualTo(400);
        cloud.recordCloudFirstToken("openai", 800);
        assertThat(cloud.expectedCloudFirstTokenMs("openai").getAsDouble()).isCloseTo(600, within(1e-9));
        cloud.recordCloudFirstToken("openai", 800);
        assertThat(cloud.expectedCloudFirstTokenMs("openai").getAsDouble()).isCloseTo(700, within(1e-9));
        assertThat(cloud.cloudSamples("openai")).isEqualTo(3);
    }

    @Test
    void estimatesArePerContinuator() {
        CloudConditions cloud = new CloudConditions(OptionalDouble.of(1200), 0.3);
        cloud.recordCloudFirstToken("fast", 200);
        cloud.recordCloudFirstToken("slow", 5000);
        assertThat(cloud.expectedCloudFirstTokenMs("fast").getAsDouble()).isEqualTo(200);
        assertThat(cloud.expectedCloudFirstTokenMs("slow").getAsDouble()).isEqualTo(5000);
        assertThat(cloud.expectedCloudFirstTokenMs("other").getAsDouble()).isEqualTo(1200);
    }

    @Test
    void emptyWithoutSeedUntilMeasured() {
        CloudConditions cloud = new CloudConditions(OptionalDouble.empty(), 0.3);
        assertThat(cloud.expectedCloudFirstTokenMs("openai")).isEmpty();
        assertThat(cloud.expectedOpenerFirstWordMs()).isEmpty();
        cloud.recordOpenerFirstWord(150);
        cloud.recordOpenerFirstWord(250);
        assertThat(cloud.expectedOpenerFirstWordMs().getAsDouble()).isCloseTo(180, within(1e-9));
    }

    @Test
    void reachability() {
        CloudConditions cloud = new CloudConditions(OptionalDouble.of(1200), 0.3);
        assertThat(cloud.isCloudReachable()).isTrue();
        cloud.setCloudReachable(false);
        assertThat(cloud.isCloudReachable()).isFalse();
        cloud.reset();
        assertThat(cloud.isCloudReachable()).isTrue();
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> new CloudConditions(OptionalDouble.of(1200), 0)).hasMessageContaining("smoothing");
        assertThatThrownBy(() -> new CloudConditions(OptionalDouble.of(1200), 1.5)).hasMessageContaining("smoothing");
        assertThatThrownBy(() -> new CloudConditions(OptionalDouble.of(-1), 0.3))
                .hasMessageContaining("initial-first-token-ms");
        CloudConditions cloud = new CloudConditions(OptionalDouble.of(1200), 0.3);
        assertThatThrownBy(() -> cloud.recordCloudFirstToken("x", -5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cloud.recordCloudFirstToken("x", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cloud.recordOpenerFirstWord(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cloud.cloudSamples("x")).isZero();
    }

    @Test
    void concurrentMeasurementsAreAllCounted() throws Exception {
        CloudConditions cloud = new CloudConditions(OptionalDouble.of(1200), 0.1);
        int threads = 4;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        cloud.recordCloudFirstToken("shared", 500);
                        cloud.recordOpenerFirstWord(100);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(cloud.cloudSamples("shared")).isEqualTo((long) threads * perThread);
        assertThat(cloud.expectedCloudFirstTokenMs("shared").getAsDouble()).isCloseTo(500, within(1e-6));
        assertThat(cloud.expectedOpenerFirstWordMs().getAsDouble()).isCloseTo(100, within(1e-6));
    }
}
