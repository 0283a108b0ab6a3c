package io.quarkiverse.handoff.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * {@code bench} through the application's real main: the simulated cloud is started before the application and the
 * application's OpenAI provider streams from it, so each handoff takes the real path.
 * <p>
 * The planner learns from every handoff, and on a busy machine it may measure the opener slower than the simulated
 * cloud and rightly skip it; here every measurement expires at once, so each handoff is planned as the first one after
 * startup, with an opener, whatever the machine's speed.
 */
@QuarkusMainTest
@TestProfile(BenchCommandTest.EveryPlanAsTheFirst.class)
class BenchCommandTest {

    public static class EveryPlanAsTheFirst implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.handoff.policy.cloud.estimate-max-age", "PT0.000000001S");
        }
    }

    @AfterEach
    void letTheOpenerLoaderFinish() throws InterruptedException {
        CliTest.awaitOpenerLoader();
    }

    @Test
    void aSmallBenchWritesTheTableTheCsvAndThePlot(QuarkusMainLauncher launcher, @TempDir Path dir)
            throws IOException {
        Path out = dir.resolve("results");
        LaunchResult result = launcher.launch("bench", "--latencies", "0.2,1", "--profiles", "watch", "--runs", "1",
                "--cloud-rate", "200", "--out", out.toString());
        assertThat(result.exitCode()).as("stderr: %s", result.getErrorOutput()).isZero();

        List<String> csv = Files.readAllLines(out.resolve(BenchCommand.CSV));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).isEqualTo(BenchCommand.CSV_HEADER);
        String[] fast = csv.get(1).split(",", -1);
        String[] slow = csv.get(2).split(",", -1);
        assertThat(List.of(fast[0], fast[1], fast[2])).containsExactly("0.2", "watch", "1");
        assertThat(List.of(slow[0], slow[1], slow[2])).containsExactly("1", "watch", "1");
        double fastCloudOnly = Double.parseDouble(fast[4]);
        double slowFirstWord = Double.parseDouble(slow[3]);
        double slowCloudOnly = Double.parseDouble(slow[4]);
        // the cloud alone answers no sooner than its simulated latency (a lower bound its timer guarantees), while the
        // first word of the handoff is the opener's; how much sooner it comes is the bench's figure, not a test's
        assertThat(fastCloudOnly).isGreaterThanOrEqualTo(200);
        assertThat(slowCloudOnly).isGreaterThanOrEqualTo(1000);
        assertThat(slowFirstWord).isPositive();
        assertThat(Double.parseDouble(slow[5])).isCloseTo(slowCloudOnly / slowFirstWord, withinPercentage(5));
        assertThat(Integer.parseInt(slow[10])).as("degraded runs").isZero();
        assertThat(slow[11]).isEqualTo("instruction");
        assertThat(Double.parseDouble(slow[6])).as("opener words").isBetween(1.0, 16.0);

        BufferedImage png = ImageIO.read(out.resolve(BenchCommand.PNG).toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isEqualTo(BenchPlot.WIDTH);
        assertThat(png.getHeight()).isEqualTo(BenchPlot.HEIGHT);

        assertThat(result.getOutput()).contains("latency", "first word", "cloud-only", "seam stall", "watch",
                "wrote " + out.resolve(BenchCommand.CSV));
        // progress: one line per run on stderr
        assertThat(result.getErrorOutput()).contains("bench: [1/2] latency 0.2 s, watch, run 1/1: first word",
                "bench: [2/2] latency 1 s, watch, run 1/1");
    }

    @Test
    void anOutputDirectoryThatCannotBeMadeIsOneClearLine(QuarkusMainLauncher launcher, @TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        LaunchResult result = launcher.launch("bench", "--out", file.resolve("results").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        CliTest.assertOneLineError(result, "cannot use " + file, "results");
    }

    @Test
    @Launch(value = { "bench", "--latencies", "-1", "--profiles", "watch,moon" }, exitCode = 2)
    void badOptionsAreOneClearLineWithExitCodeTwo(LaunchResult result) {
        CliTest.assertOneLineError(result, "--latencies must be seconds between 0 and 60, got -1.0",
                "--profiles: unknown device profile 'moon', known: watch, glasses, phone", "bench --help");
    }

    @Test
    void theSeamStallIsTheSilenceAfterTheOpenerIsHeard() {
        // three words arriving at once, heard at 2.5 words per second: heard until 1200 ms
        List<Double> words = List.of(0.0, 10.0, 20.0);
        assertThat(BenchCommand.seamStall(words, 1500, 2.5)).isCloseTo(300, within(1e-9));
        assertThat(BenchCommand.seamStall(words, 900, 2.5)).isZero();
        // a late word delays the rest: 0-400, 1000-1400, 1400-1800
        assertThat(BenchCommand.seamStall(List.of(0.0, 1000.0, 1010.0), 2000, 2.5)).isCloseTo(200, within(1e-9));
        assertThat(BenchCommand.seamStall(List.of(), 2000, 2.5)).isNaN();
        assertThat(BenchCommand.median(new double[] { 3, Double.NaN, 1, 2 })).isEqualTo(2);
        assertThat(BenchCommand.median(new double[] { 4, 1 })).isEqualTo(2.5);
        assertThat(BenchPlot.niceStep(130)).isEqualTo(200);
        assertThat(BenchPlot.niceStep(0.45)).isEqualTo(0.5);
    }
}
