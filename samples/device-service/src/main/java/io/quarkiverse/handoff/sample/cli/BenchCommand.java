package io.quarkiverse.handoff.sample.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.ContinuationEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.ErrorEvent;
import io.quarkiverse.handoff.event.OpenerEvent;
import io.quarkiverse.handoff.event.PlanEvent;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkiverse.handoff.runtime.continuator.EmbeddedContinuator;
import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.handoff.runtime.policy.DeviceProfiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * End-to-end benchmark of what the user perceives: the first word of a handoff against the first token of the same
 * cloud asked alone, under simulated cloud latencies, per device profile. The cloud is a {@link SimulatedCloud}
 * started by {@link DeviceServiceMain} before the application, so every handoff takes the real path: policy, ONNX
 * opener, quarkus-langchain4j OpenAI client over HTTP, seam.
 */
@Command(name = BenchCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false, description = "Benchmark the perceived first word of a handoff against the first token of the cloud alone, "
        + "under simulated cloud first-token latencies, per device profile. Starts a local simulated cloud "
        + "(an OpenAI-protocol streaming server) and points the application's cloud model at it. Prints a "
        + "table and writes bench.csv and bench.png under --out.")
public class BenchCommand implements Callable<Integer> {

    static final String NAME = "bench";
    static final String DEFAULT_QUESTION = "Why is the sky blue?";
    static final String CSV = "bench.csv";
    static final String PNG = "bench.png";
    static final String CSV_HEADER = "latency_s,profile,runs,perceived_first_word_ms,cloud_only_first_token_ms,"
            + "speedup,opener_words,seam_gap_ms,seam_stall_ms,total_ms,degraded_runs,strategy";
    static final double MAX_LATENCY_SECONDS = 60;

    @Option(names = "--latencies", paramLabel = "SECONDS", split = ",", defaultValue = "0.3,1,2,4", description = "the simulated cloud first-token latencies, in seconds (default: ${DEFAULT-VALUE})")
    List<Double> latencies;

    @Option(names = "--profiles", paramLabel = "NAME", split = ",", defaultValue = "watch,glasses,phone", description = "the device profiles (default: ${DEFAULT-VALUE})")
    List<String> profiles;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "handoffs per latency and profile; the table shows their medians (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--question", paramLabel = "TEXT", defaultValue = DEFAULT_QUESTION, description = "the user's question (default: ${DEFAULT-VALUE})")
    String question;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-results", description = "where bench.csv and bench.png are written (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--cloud-rate", paramLabel = "WORDS_PER_SECOND", defaultValue = "30", description = "how fast the simulated cloud streams its reply after the first token "
            + "(default: ${DEFAULT-VALUE})")
    double cloudRate;

    @Option(names = "--warm-ups", paramLabel = "N", defaultValue = "1", description = "unmeasured handoffs at each new latency first, so that the planner's latency estimate "
            + "follows the change as it does on a device after a request or two (default: ${DEFAULT-VALUE})")
    int warmUps;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "give up on a handoff or cloud request not complete after this long "
            + "(default: ${DEFAULT-VALUE})")
    double timeoutSeconds;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Inject
    Handoff handoff;

    @Inject
    DeviceProfiles deviceProfiles;

    @Inject
    Instance<StreamingChatModel> cloudModels;

    @Inject
    Instance<OnnxOpener> opener;

    /** What one handoff and one cloud-only request measured, in milliseconds as the command saw them. */
    record Run(double firstWordMs, double cloudOnlyFirstTokenMs, int openerWords, double seamGapMs,
            double seamStallMs, double totalMs, boolean degraded, String strategy) {
    }

    /** The runs of one latency and profile. */
    record Row(double latencySeconds, String profile, List<Run> runs) {
        double median(ToDoubleFunction<Run> metric) {
            return BenchCommand.median(runs.stream().mapToDouble(metric).toArray());
        }

        double firstWordMs() {
            return median(Run::firstWordMs);
        }

        double cloudOnlyFirstTokenMs() {
            return median(Run::cloudOnlyFirstTokenMs);
        }

        double speedup() {
            return cloudOnlyFirstTokenMs() / firstWordMs();
        }

        long degradedRuns() {
            return runs.stream().filter(Run::degraded).count();
        }

        String strategies() {
            return runs.stream().map(Run::strategy).distinct().collect(Collectors.joining("+"));
        }
    }

    @Override
    public Integer call() throws IOException {
        validate();
        SimulatedCloud cloud = SimulatedCloud.running();
        if (cloud == null) {
            throw new IllegalStateException("the simulated cloud is not running: start bench through the device "
                    + "service's main, e.g. java -jar quarkus-run.jar bench");
        }
        cloud.wordsPerSecond(cloudRate);
        Files.createDirectories(out);
        PrintWriter progress = spec.commandLine().getErr();
        Duration timeout = Duration.ofMillis(Math.round(timeoutSeconds * 1000));
        progress.println("bench: loading the opener model");
        progress.flush();
        TimedHandoff.awaitOpener(opener, timeout, "--timeout");
        int total = latencies.size() * profiles.size() * runs;
        int done = 0;
        List<Row> rows = new ArrayList<>();
        for (double latency : latencies) {
            cloud.firstTokenLatency(Duration.ofMillis(Math.round(latency * 1000)));
            for (int i = 0; i < warmUps; i++) {
                progress.printf(Locale.ROOT, "bench: warm-up %d/%d at %s s latency%n", i + 1, warmUps,
                        seconds(latency));
                progress.flush();
                handoff(profiles.get(0), timeout);
            }
            for (String profile : profiles) {
                List<Run> measured = new ArrayList<>();
                for (int run = 1; run <= runs; run++) {
                    Run r = handoff(profile, timeout);
                    r = new Run(r.firstWordMs(), cloudOnlyFirstToken(timeout), r.openerWords(), r.seamGapMs(),
                            r.seamStallMs(), r.totalMs(), r.degraded(), r.strategy());
                    measured.add(r);
                    progress.printf(Locale.ROOT, "bench: [%d/%d] latency %s s, %s, run %d/%d: first word %.0f ms, "
                            + "cloud only %.0f ms, seam stall %s ms, total %.0f ms%s%n", ++done, total,
                            seconds(latency), profile, run, runs, r.firstWordMs(), r.cloudOnlyFirstTokenMs(),
                            format(r.seamStallMs(), 0), r.totalMs(), r.degraded() ? " (degraded)" : "");
                    progress.flush();
                }
                rows.add(new Row(latency, profile, measured));
            }
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(table(rows));
        Path csv = out.resolve(CSV);
        Files.writeString(csv, csv(rows), StandardCharsets.UTF_8);
        Path png = out.resolve(PNG);
        BenchPlot.write(rows, png);
        stdout.printf("%nwrote %s and %s%n", csv, png);
        stdout.flush();
        return 0;
    }

    private void validate() {
        List<String> problems = new ArrayList<>();
        for (double latency : latencies) {
            if (!(latency >= 0 && latency <= MAX_LATENCY_SECONDS)) {
                problems.add("--latencies must be seconds between 0 and " + (int) MAX_LATENCY_SECONDS + ", got "
                        + latency);
            }
        }
        for (String profile : profiles) {
            if (!deviceProfiles.contains(profile)) {
                problems.add("--profiles: unknown device profile '" + profile + "', known: "
                        + String.join(", ", deviceProfiles.names()));
            }
        }
        if (runs < 1 || warmUps < 0) {
            problems.add("--runs must be at least 1 and --warm-ups at least 0");
        }
        if (!(cloudRate > 0) || !(timeoutSeconds > 0)) {
            problems.add("--cloud-rate and --timeout must be more than 0");
        }
        if (question.isBlank()) {
            problems.add("--question is empty");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            problems.add("--out '" + out.toAbsolutePath() + "' is a file: pass a directory");
        }
        if (!problems.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
        }
    }

    /** One handoff, timed as the user perceives it: when each event reached this command. */
    private Run handoff(String profile, Duration timeout) {
        HandoffRequest request = new HandoffRequest(Conversation.of(question), profile, DeviceFacts.NONE);
        List<TimedHandoff.TimedEvent> events = TimedHandoff.run(handoff, request, timeout, "--timeout", e -> {
        });
        List<Double> openerWords = new ArrayList<>();
        double firstContinuation = Double.NaN;
        DoneEvent done = null;
        for (TimedHandoff.TimedEvent timed : events) {
            if (timed.event() instanceof OpenerEvent) {
                openerWords.add(timed.receivedMs());
            } else if (timed.event() instanceof ContinuationEvent c && !c.delta().isBlank()
                    && Double.isNaN(firstContinuation)) {
                firstContinuation = timed.receivedMs();
            } else if (timed.event() instanceof PlanEvent plan && EmbeddedContinuator.NAME.equals(plan.continuator())
                    && plan.plan().mode() != io.quarkiverse.handoff.policy.HandoffMode.LOCAL_ONLY) {
                throw new IllegalStateException("the reply was continued by the embedded continuator, not the "
                        + "simulated cloud: bench measures the cloud continuator, remove "
                        + "quarkus.handoff.continuator.provider=embedded from the configuration");
            } else if (timed.event() instanceof ErrorEvent error) {
                throw new IllegalStateException("a handoff failed (" + error.code() + "): " + error.message());
            } else if (timed.event() instanceof DoneEvent d) {
                done = d;
            }
        }
        if (done == null) {
            throw new IllegalStateException("a handoff ended without its done event");
        }
        double firstWord = openerWords.isEmpty() ? firstContinuation : openerWords.get(0);
        double seamGap = openerWords.isEmpty() ? Double.NaN : firstContinuation - openerWords.get(openerWords.size() - 1);
        double wordsPerSecond = deviceProfiles.resolve(profile).wordsPerSecond();
        return new Run(firstWord, Double.NaN, openerWords.size(), seamGap,
                seamStall(openerWords, firstContinuation, wordsPerSecond), events.get(events.size() - 1).receivedMs(),
                done.degraded(), done.strategy());
    }

    /**
     * How long the user waits between the last opener word and the continuation: the user hears (or reads) each word
     * in {@code 1 / wordsPerSecond}, starting when it arrives or when the previous word is through, whichever is
     * later; the stall is the time from the end of the last opener word to the continuation's arrival, if any.
     */
    static double seamStall(List<Double> openerWordsMs, double continuationMs, double wordsPerSecond) {
        if (openerWordsMs.isEmpty() || Double.isNaN(continuationMs)) {
            return Double.NaN;
        }
        double wordMs = 1000 / wordsPerSecond;
        double heardUntil = Double.NEGATIVE_INFINITY;
        for (double arrival : openerWordsMs) {
            heardUntil = Math.max(arrival, heardUntil) + wordMs;
        }
        return Math.max(0, continuationMs - heardUntil);
    }

    /** The cloud asked alone, as a cloud-only assistant would: milliseconds to its first token. */
    private double cloudOnlyFirstToken(Duration timeout) {
        if (!cloudModels.isResolvable()) {
            throw new IllegalStateException("no quarkus-langchain4j streaming chat model: the sample needs "
                    + "quarkus-langchain4j-openai");
        }
        CompletableFuture<Double> firstToken = new CompletableFuture<>();
        CompletableFuture<Void> complete = new CompletableFuture<>();
        long start = System.nanoTime();
        cloudModels.get().chat(List.of(UserMessage.from(question)), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                if (!partial.isEmpty()) {
                    firstToken.complete(HandoffClock.toMillis(System.nanoTime() - start));
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                complete.complete(null);
            }

            @Override
            public void onError(Throwable error) {
                firstToken.completeExceptionally(error);
                complete.completeExceptionally(error);
            }
        });
        try {
            // the whole reply, so that the next measurement does not share the server with this one
            complete.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return firstToken.getNow(Double.NaN);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cloud-only request did not finish within "
                    + seconds(timeoutSeconds) + " s: raise --timeout");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the cloud-only request failed: " + CliErrors.message(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cloud-only request");
        }
    }

    static String table(List<Row> rows) {
        StringBuilder table = new StringBuilder();
        String format = "%8s  %-8s  %4s  %10s  %10s  %7s  %6s  %8s  %10s  %8s  %8s  %s";
        table.append(String.format(Locale.ROOT, format, "latency", "profile", "runs", "first word", "cloud-only",
                "faster", "opener", "seam gap", "seam stall", "total", "degraded", "strategy")).append('\n');
        table.append(String.format(Locale.ROOT, format, "s", "", "", "ms", "1st tok ms", "x", "words", "ms",
                "ms (heard)", "ms", "", "").stripTrailing()).append('\n');
        for (Row row : rows) {
            table.append(String.format(Locale.ROOT, format, seconds(row.latencySeconds()), row.profile(),
                    row.runs().size(), format(row.firstWordMs(), 1), format(row.cloudOnlyFirstTokenMs(), 1),
                    format(row.speedup(), 1) + "x", format(row.median(Run::openerWords), 0),
                    format(row.median(Run::seamGapMs), 1), format(row.median(Run::seamStallMs), 1),
                    format(row.median(Run::totalMs), 0), row.degradedRuns() + "/" + row.runs().size(),
                    row.strategies())).append('\n');
        }
        return table.toString();
    }

    static String csv(List<Row> rows) {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (Row row : rows) {
            csv.append(String.join(",", seconds(row.latencySeconds()), row.profile(),
                    Integer.toString(row.runs().size()), csvNumber(row.firstWordMs()),
                    csvNumber(row.cloudOnlyFirstTokenMs()), csvNumber(row.speedup()),
                    csvNumber(row.median(Run::openerWords)), csvNumber(row.median(Run::seamGapMs)),
                    csvNumber(row.median(Run::seamStallMs)), csvNumber(row.median(Run::totalMs)),
                    Long.toString(row.degradedRuns()), row.strategies())).append('\n');
        }
        return csv.toString();
    }

    /** The median of the values that exist (not NaN), or NaN when none does. */
    static double median(double[] values) {
        double[] present = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (present.length == 0) {
            return Double.NaN;
        }
        int mid = present.length / 2;
        return present.length % 2 == 1 ? present[mid] : (present[mid - 1] + present[mid]) / 2;
    }

    static String seconds(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    private static String format(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-"
                : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String csvNumber(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "" : String.format(Locale.ROOT, "%.1f", value);
    }
}
