package io.quarkiverse.handoff.runtime.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class CloudConditionsTest {

    @Test
    void theInitialLatencyIsAnAssumptionNotAMeasurement() {
        CloudConditions cloud = new CloudConditions(OptionalDouble.of(1200), 0.3);
        assertThat(cloud.assumedCloudFirstTokenMs().getAsDouble()).isEqualTo(1200);
        assertThat(cloud.expectedCloudFirstTokenMs("openai")).isEmpty();
        assertThat(cloud.expectedCloudFirstTokenMs(null)).isEmpty();
        assertThat(cloud.cloudSamples("openai")).isZero();
        cloud.recordCloudFirstToken(null, 300);
        assertThat(cloud.expectedCloudFirstTokenMs(CloudConditions.DEFAULT_CONTINUATOR).getAsDouble()).isEqualTo(300);
        assertThat(cloud.assumedCloudFirstTokenMs().getAsDouble()).isEqualTo(1200);
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
        assertThat(cloud.expectedCloudFirstTokenMs("other")).isEmpty();
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
    void estimatesNotRefreshedForTheMaxAgeAreForgottenThenStartAfresh() {
        AtomicLong now = new AtomicLong(0);
        CloudConditions cloud = new CloudConditions(OptionalDouble.of(1200), 0.5, Duration.ofSeconds(60), now::get);
        cloud.recordOpenerFirstWord(900);
        cloud.recordCloudFirstToken("openai", 300);

        // cloud-only plans keep measuring the cloud, not the opener
        now.set(Duration.ofSeconds(40).toNanos());
        cloud.recordCloudFirstToken("openai", 300);
        assertThat(cloud.expectedOpenerFirstWordMs().getAsDouble()).isEqualTo(900);

        now.set(Duration.ofSeconds(60).toNanos());
        assertThat(cloud.expectedOpenerFirstWordMs()).as("opener estimate expired").isEmpty();
        assertThat(cloud.expectedCloudFirstTokenMs("openai").getAsDouble()).as("refreshed at 40 s").isEqualTo(300);
        assertThat(cloud.cloudSamples("openai")).isEqualTo(2);

        // the next measurement replaces the stale estimate instead of being averaged with it
        cloud.recordOpenerFirstWord(100);
        assertThat(cloud.expectedOpenerFirstWordMs().getAsDouble()).isEqualTo(100);

        now.set(Duration.ofSeconds(100).toNanos());
        assertThat(cloud.expectedCloudFirstTokenMs("openai")).isEmpty();
        assertThat(cloud.cloudSamples("openai")).isZero();
        cloud.recordCloudFirstToken("openai", 2000);
        assertThat(cloud.expectedCloudFirstTokenMs("openai").getAsDouble()).isEqualTo(2000);
        assertThat(cloud.cloudSamples("openai")).isEqualTo(1);
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
        assertThatThrownBy(() -> new CloudConditions(OptionalDouble.of(1200), 0.3, Duration.ZERO, System::nanoTime))
                .hasMessageContaining("estimate-max-age");
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
