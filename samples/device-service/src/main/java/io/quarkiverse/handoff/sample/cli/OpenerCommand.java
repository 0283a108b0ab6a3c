package io.quarkiverse.handoff.sample.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffClock.Milestone;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.policy.Sampling;
import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig.GraphOptimization;
import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig.ThreadSpinning;
import io.quarkiverse.handoff.runtime.opener.ModelDirectory;
import io.quarkiverse.handoff.runtime.opener.OpenerEngine;
import io.quarkiverse.handoff.runtime.opener.OpenerStop;
import io.quarkiverse.handoff.runtime.opener.OpenerTranscript;
import io.quarkiverse.handoff.runtime.opener.StandaloneOpenerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes an opener with a model directory, exactly as the service's opener does (chat template, KV-cache decode,
 * whole words), and reports its tokens, words and timings.
 */
@Command(name = "opener", mixinStandardHelpOptions = true, sortOptions = false, description = "Write the opener of a reply to a single user message with an on-device model directory, "
        + "and time it. The prompt is rendered with the model's chat template.")
public class OpenerCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "the model directory: model.onnx, config.json, tokenizer.json, tokenizer_config.json")
    Path model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "the user's message")
    String prompt;

    @Option(names = "--greedy", description = "greedy decoding (default: temperature 0.5, top-p 0.9, as the paper)")
    boolean greedy;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "48", description = "the most tokens to generate (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--words", paramLabel = "N", defaultValue = "8", description = "stop after this many complete words (default: ${DEFAULT-VALUE})")
    int words;

    @Option(names = "--grounded", description = "the grounding guard of the default rules: stop right before a number, a date or time, "
            + "a name, a unit or operation, or a word whose spelling the model guessed that the prompt does not contain (and never after a dangling \"the\", \"to\", "
            + "\"and\"); the output says where and why the opener stopped")
    boolean grounded;

    @Option(names = "--handoff-point", paramLabel = "after-words|clause-boundary|confidence-drop", defaultValue = "after-words", description = "where the opener stops: after --words words, at the first clause boundary after them "
            + "(whole clauses, as a speech profile), or before a word under --confidence (as the phone) "
            + "(default: ${DEFAULT-VALUE})")
    String handoffPoint;

    @Option(names = "--confidence", paramLabel = "P", defaultValue = "0.15", description = "the confidence threshold of clause-boundary and confidence-drop (default: "
            + "${DEFAULT-VALUE}, the speech profiles'; 0: no confidence stop)")
    double confidence;

    @Option(names = "--model-file", paramLabel = "FILE", defaultValue = "model.onnx", description = "the ONNX file in the directory, e.g. model.int8.onnx (default: ${DEFAULT-VALUE})")
    String modelFile;

    @Option(names = "--repeat", paramLabel = "N", description = "decode N times after one warm-up decode and report the median timings (benchmarks)")
    Integer repeat;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "ONNX Runtime intra-op threads, 0 = one per core (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--spin", paramLabel = "within-step|always|off", defaultValue = "within-step", description = "when ONNX Runtime's threads spin instead of sleeping: within a decoding step only, always "
            + "(also between steps) or never (quarkus.handoff.opener.thread-spinning; default: "
            + "${DEFAULT-VALUE})")
    String spin;

    @Option(names = "--seed", paramLabel = "N", description = "a fixed sampling seed (ignored with --greedy)")
    Long seed;

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One decode's outcome; tokenNanos: when each token was generated, on the clock. */
    record Run(List<OpenerWord> words, List<Integer> tokens, List<Long> tokenNanos, OpenerEngine.StopReason reason,
            OpenerStop stop, HandoffClock clock) {
        String text() {
            StringBuilder text = new StringBuilder();
            words.forEach(w -> text.append(w.text()));
            return text.toString();
        }

        double millis(Milestone milestone) {
            OptionalDouble at = clock.millisAt(milestone);
            return at.isPresent() ? at.getAsDouble() : Double.NaN;
        }
    }

    @Override
    public Integer call() throws JsonProcessingException {
        if (maxTokens < 1 || words < 1 || threads < 0 || (repeat != null && repeat < 1)) {
            throw new IllegalArgumentException(
                    "--max-tokens, --words and --repeat must be at least 1, --threads at least 0");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("--confidence must be between 0 and 1, got " + confidence);
        }
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException("the model directory '" + model.toAbsolutePath() + "' "
                    + (Files.exists(model) ? "is not a directory" : "does not exist")
                    + ": pass --model a directory holding model.onnx, config.json, tokenizer.json and "
                    + "tokenizer_config.json (samples/micro-model/export.py writes one)");
        }
        Conversation conversation = Conversation.of(prompt);
        Sampling sampling = greedy ? Sampling.GREEDY
                : new Sampling(Sampling.PAPER_DEFAULT.temperature(), Sampling.PAPER_DEFAULT.topP(), 0, 1.0, seed);
        HandoffPlan plan = new HandoffPlan("cli", HandoffMode.HYBRID, words, handoffPoint(), confidence, "natural",
                sampling, 0, false, List.of("command line")).withGrounding(grounded, EnumSet.allOf(FactClass.class));
        StandaloneOpenerConfig config = new StandaloneOpenerConfig(threads, threadSpinning(), GraphOptimization.ALL,
                true, maxTokens, Duration.ofDays(1));
        try (OpenerEngine engine = OpenerEngine.load(ModelDirectory.of(model.toString(), "--model"), modelFile,
                config)) {
            int promptTokens = engine.prompt(conversation.messages(), Optional.empty(), maxTokens).length;
            List<Run> runs = new ArrayList<>();
            if (repeat != null) {
                decode(engine, conversation, plan, config); // warm-up
            }
            for (int i = 0; i < (repeat == null ? 1 : repeat); i++) {
                runs.add(decode(engine, conversation, plan, config));
            }
            print(runs, promptTokens);
        }
        return 0;
    }

    private HandoffPoint handoffPoint() {
        for (HandoffPoint value : HandoffPoint.values()) {
            if (value.name().replace('_', '-').equalsIgnoreCase(handoffPoint.trim())) {
                return value;
            }
        }
        throw new IllegalArgumentException("--handoff-point must be after-words, clause-boundary or confidence-drop, "
                + "got '" + handoffPoint + "'");
    }

    private ThreadSpinning threadSpinning() {
        for (ThreadSpinning value : ThreadSpinning.values()) {
            if (value.name().replace('_', '-').equalsIgnoreCase(spin.trim())) {
                return value;
            }
        }
        throw new IllegalArgumentException("--spin must be within-step, always or off, got '" + spin + "'");
    }

    private static Run decode(OpenerEngine engine, Conversation conversation, HandoffPlan plan,
            StandaloneOpenerConfig config) {
        OpenerTranscript transcript = new OpenerTranscript();
        List<Long> tokenNanos = new ArrayList<>();
        HandoffClock clock = HandoffClock.start();
        OpenerEngine.OpenerListener timed = new OpenerEngine.OpenerListener() {
            @Override
            public void onWord(OpenerWord word) {
                transcript.onWord(word);
            }

            @Override
            public void onToken(int token) {
                tokenNanos.add(clock.elapsedNanos());
                transcript.onToken(token);
            }

            @Override
            public void onStop(OpenerStop stop) {
                transcript.onStop(stop);
            }
        };
        OpenerEngine.StopReason reason = engine.open(conversation.messages(), plan, config.maxNewTokens(),
                config.timeBudget(), clock, timed, () -> false);
        return new Run(transcript.words(), transcript.tokens(), tokenNanos, reason, transcript.stop(), clock);
    }

    private void print(List<Run> runs, int promptTokens) throws JsonProcessingException {
        Run first = runs.get(0);
        double firstToken = median(runs, r -> r.millis(Milestone.OPENER_FIRST_TOKEN));
        double firstWord = median(runs, r -> r.millis(Milestone.OPENER_FIRST_WORD));
        double done = median(runs, r -> r.millis(Milestone.OPENER_DONE));
        var out = spec.commandLine().getOut();
        if (!json) {
            out.println(first.text());
            out.printf("%d words, %d tokens (%s); first token %.1f ms, first word %.1f ms, done %.1f ms%s%n",
                    first.words().size(), first.tokens().size(), first.reason(), firstToken, firstWord, done,
                    runs.size() > 1 ? " (medians of " + runs.size() + " runs)" : "");
            out.println("stopped: " + first.stop().describe());
            out.flush();
            return;
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("text", first.text());
        ArrayNode tokens = root.putArray("tokens");
        first.tokens().forEach(tokens::add);
        ArrayNode words = root.putArray("words");
        for (int i = 0; i < first.words().size(); i++) {
            int index = i;
            ObjectNode word = words.addObject().put("word", first.words().get(i).text())
                    .put("confidence", first.words().get(i).confidence());
            putMillis(word, "ms", median(runs, r -> r.words().size() > index
                    ? HandoffClock.toMillis(r.words().get(index).nanosSinceStart())
                    : Double.NaN));
        }
        putMillis(root, "first_token_ms", firstToken);
        putMillis(root, "first_word_ms", firstWord);
        putMillis(root, "done_ms", done);
        // when the n-th token was generated (median over the runs that have it): benchmarks read "12 tokens" here
        ArrayNode tokenMillis = root.putArray("token_ms");
        for (int i = 0; i < first.tokens().size(); i++) {
            int index = i;
            tokenMillis.add(Math.round(median(runs, r -> r.tokenNanos().size() > index
                    ? HandoffClock.toMillis(r.tokenNanos().get(index))
                    : Double.NaN) * 1000) / 1000.0);
        }
        root.put("prompt_tokens", promptTokens);
        root.put("stop_reason", first.reason().name().toLowerCase(Locale.ROOT));
        root.put("grounded", grounded);
        root.set("stop", stop(mapper, first.stop()));
        root.put("model", model.toString());
        root.put("model_file", modelFile);
        root.put("repeat", runs.size());
        root.put("threads", threads);
        root.put("spin", threadSpinning().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (runs.size() > 1) {
            ArrayNode all = root.putArray("runs");
            for (Run r : runs) {
                ObjectNode run = all.addObject();
                putMillis(run, "first_token_ms", r.millis(Milestone.OPENER_FIRST_TOKEN));
                putMillis(run, "first_word_ms", r.millis(Milestone.OPENER_FIRST_WORD));
                putMillis(run, "done_ms", r.millis(Milestone.OPENER_DONE));
                run.put("tokens", r.tokens().size());
            }
        }
        out.println(mapper.writeValueAsString(root));
        out.flush();
    }

    /** Where and why the opener stopped: the word it did not say, its kind of fact, the held-back words. */
    private static ObjectNode stop(ObjectMapper mapper, OpenerStop stop) {
        ObjectNode node = mapper.createObjectNode();
        node.put("reason", stop.reason().name().toLowerCase(Locale.ROOT));
        node.put("before", stop.before() == null ? null : stop.before().strip());
        node.put("fact", stop.fact() == null ? null : stop.fact().name());
        if (Double.isNaN(stop.confidence())) {
            node.putNull("confidence");
        } else {
            node.put("confidence", stop.confidence());
        }
        ArrayNode dropped = node.putArray("dropped");
        stop.dropped().forEach(dropped::add);
        node.put("explanation", stop.describe());
        return node;
    }

    /** The median of a metric over the runs where it exists; NaN when none has it. */
    static double median(List<Run> runs, Function<Run, Double> metric) {
        return BenchCommand.median(runs.stream().map(metric).mapToDouble(Double::doubleValue).toArray());
    }

    /** Milliseconds rounded to the microsecond, or null when the milestone did not happen. */
    private static void putMillis(ObjectNode node, String field, double millis) {
        if (Double.isNaN(millis)) {
            node.putNull(field);
        } else {
            node.put(field, Math.round(millis * 1000) / 1000.0);
        }
    }
}
