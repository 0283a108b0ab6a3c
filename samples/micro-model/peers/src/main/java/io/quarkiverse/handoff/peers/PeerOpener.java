package io.quarkiverse.handoff.peers;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;

/**
 * Writes greedy openers with a peer of the extension's opener, llama.cpp (java-llama.cpp) or Jlama, and times them
 * the way {@code opener --greedy --repeat N --json} times the extension's: the clock starts before the chat template
 * is rendered and the prompt tokenized; the first token, the first word, the {@code --words}-th word (complete when
 * whitespace follows it, {@link Character#isWhitespace}) and the {@code --tokens}-th token are timed; one warm-up
 * decode, then {@code --repeat} runs, medians. Prints one JSON object.
 *
 * <pre>
 * PeerOpener jlama-quantize --model DIR --out DIR
 * PeerOpener llama|jlama --model PATH --prefix TEXT --user TEXT --suffix TEXT [--warm-user TEXT] [--threads N]
 *     [--words 8] [--tokens 12] [--max-tokens 48] [--repeat 5] [--quant F32|Q4] [--stop 0,2]
 * </pre>
 *
 * The prompt is {@code prefix + user + suffix}: the chat template (ChatML) rendered by string concatenation, which is
 * what a Java user of these libraries can do as cheaply as the extension renders its template. llama: {@code --model}
 * is a GGUF file; llama.cpp keeps its prompt cache on (its default), and before every measured run the peer answers
 * one token to {@code --warm-user}, as a service does between conversations, so that the cache holds the template's
 * head like the extension's opener (which prefills that head once at load). jlama: {@code --model} is a directory of
 * safetensors, config.json and tokenizer.json; {@code --quant Q4} runs a model that {@code jlama-quantize} wrote
 * (Jlama's Q4 weights) with I8 activations: Jlama's quantized mode (it has no kernel for 8-bit weights). Jlama's
 * decoding loop ({@code AbstractModel.generate}) is written out here with its public methods, so that it stops at the
 * opener's end and reports token ids; it has no prompt cache, so it prefills the whole prompt.
 */
public final class PeerOpener {

    /** Receives each generated token as it arrives: its id (-1 when the engine does not tell) and its text. */
    interface TokenSink {
        /** @return false once the opener is timed: Jlama stops there, llama.cpp's stream is read to its end untimed */
        boolean accept(int id, String piece);
    }

    interface Engine extends AutoCloseable {
        /** The engine's own tokenization of the prompt (outside the clock, for the benchmark's checks). */
        int[] promptIds(String prompt);

        /** Runs before every measured decode (not timed). */
        default void beforeRun() {
        }

        void decode(String prompt, int maxTokens, TokenSink sink);

        @Override
        void close();
    }

    /** The timings and tokens of one decode. */
    static final class Run {
        double firstToken = Double.NaN;
        double firstWord = Double.NaN;
        double opener = Double.NaN;
        double tokensAt = Double.NaN;
        double done = Double.NaN;
        final List<Integer> ids = new ArrayList<>();
        final List<String> pieces = new ArrayList<>();
    }

    private final Map<String, String> options;

    private PeerOpener(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !List.of("llama", "jlama", "jlama-quantize").contains(args[0]) || args.length % 2 != 1) {
            throw new IllegalArgumentException("usage: PeerOpener jlama-quantize --model DIR --out DIR, or "
                    + "PeerOpener llama|jlama --model PATH --prefix TEXT --user TEXT "
                    + "--suffix TEXT [--warm-user TEXT] [--threads N] [--words 8] [--tokens 12] [--max-tokens 48] "
                    + "[--repeat 5] [--quant F32|Q4] [--stop 0,2]; got " + Arrays.toString(args));
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args[0].equals("jlama-quantize")) {
            // Jlama's own quantizer (the "jlama quantize" command): every tensor to Q4, written to --out
            System.out.println(SafeTensorSupport.quantizeModel(Path.of(options.get("model")), DType.Q4, null, null,
                    Optional.of(Path.of(options.get("out")))));
        } else {
            new PeerOpener(options).run(args[0]);
        }
        System.out.flush();
        System.exit(0); // java-llama.cpp leaves a non-daemon native thread behind that would keep the JVM alive
    }

    private String option(String name, String fallback) {
        String value = options.getOrDefault(name, fallback);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private int intOption(String name, int fallback) {
        return Integer.parseInt(option(name, Integer.toString(fallback)));
    }

    private void run(String kind) {
        String model = option("model", null);
        String prefix = option("prefix", null);
        String user = option("user", null);
        String suffix = option("suffix", null);
        String warmPrompt = prefix + option("warm-user", "a") + suffix;
        int threads = intOption("threads", Runtime.getRuntime().availableProcessors());
        int words = intOption("words", 8);
        int tokens = intOption("tokens", 12);
        int maxTokens = intOption("max-tokens", 48);
        int repeat = intOption("repeat", 5);
        String quant = option("quant", "F32");
        Set<Integer> stop = Arrays.stream(option("stop", "0,2").split(",")).map(String::trim).map(Integer::valueOf)
                .collect(Collectors.toSet());
        long loadStart = System.nanoTime();
        try (Engine engine = kind.equals("llama") ? new Llama(model, threads, warmPrompt)
                : new Jlama(model, threads, quant, stop)) {
            double loadMs = (System.nanoTime() - loadStart) / 1e6;
            int[] promptIds = engine.promptIds(prefix + user + suffix);
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i <= repeat; i++) { // the first one is the warm-up
                engine.beforeRun();
                Run r = measure(engine, prefix, user, suffix, words, tokens, maxTokens);
                if (i > 0) {
                    runs.add(r);
                }
            }
            System.out.println(json(kind, model, quant, threads, loadMs, promptIds, runs));
        }
    }

    private static Run measure(Engine engine, String prefix, String user, String suffix, int words, int tokens,
            int maxTokens) {
        Run run = new Run();
        long start = System.nanoTime();
        String prompt = prefix + user + suffix; // the chat template, inside the clock
        int[] completeWords = { 0 };
        boolean[] inWord = { false };
        engine.decode(prompt, maxTokens, (id, piece) -> {
            double ms = (System.nanoTime() - start) / 1e6;
            run.ids.add(id);
            run.pieces.add(piece);
            if (run.ids.size() == 1) {
                run.firstToken = ms;
            }
            if (run.ids.size() == tokens) {
                run.tokensAt = ms;
            }
            for (int i = 0; i < piece.length(); i++) {
                if (Character.isWhitespace(piece.charAt(i))) {
                    if (inWord[0]) {
                        completeWords[0]++;
                        if (completeWords[0] == 1) {
                            run.firstWord = ms;
                        }
                        if (completeWords[0] == words) {
                            run.opener = ms;
                        }
                    }
                    inWord[0] = false;
                } else {
                    inWord[0] = true;
                }
            }
            boolean more = completeWords[0] < words || run.ids.size() < tokens;
            if (!more) {
                run.done = ms;
            }
            return more;
        });
        if (Double.isNaN(run.done)) { // end of sequence or --max-tokens first
            run.done = (System.nanoTime() - start) / 1e6;
        }
        return run;
    }

    /** llama.cpp through java-llama.cpp: its server loop, streamed token by token. */
    static final class Llama implements Engine {
        private final LlamaModel model;
        private final String warmPrompt;

        Llama(String gguf, int threads, String warmPrompt) {
            LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> {
            }); // quiet: the benchmark reads stdout
            this.model = new LlamaModel(new ModelParameters().setModel(gguf).setThreads(threads)
                    .setThreadsBatch(threads).setCtxSize(512).setParallel(1));
            this.warmPrompt = warmPrompt;
        }

        private static InferenceParameters greedy(String prompt, int maxTokens) {
            // temperature 0 keeps only the best token; no penalties, so every sampler leaves the argmax alone
            return new InferenceParameters(prompt).setTemperature(0f).setNPredict(maxTokens).setCachePrompt(true)
                    .setRepeatPenalty(1f).setPresencePenalty(0f).setFrequencyPenalty(0f).setSeed(1);
        }

        @Override
        public int[] promptIds(String prompt) {
            return model.encode(prompt);
        }

        @Override
        public void beforeRun() {
            model.complete(greedy(warmPrompt, 1));
        }

        @Override
        public void decode(String prompt, int maxTokens, TokenSink sink) {
            // read to the end rather than cancel: a cancelled task can leave the slot's cache out of step with the
            // next request (seen once as a wrong greedy opener under load); the tokens after the opener are not timed
            boolean more = true;
            for (LlamaOutput output : model.generate(greedy(prompt, maxTokens))) {
                if (more && !output.text.isEmpty()) { // the stream's closing message has no text
                    more = sink.accept(-1, output.text);
                }
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /** Jlama: the loop of AbstractModel.generate, greedy (temperature 0 is its argmax). */
    static final class Jlama implements Engine {
        private final AbstractModel model;
        private final KvBufferCache cache;
        private final Set<Integer> stop;

        Jlama(String dir, int threads, String quant, Set<Integer> stop) {
            // Jlama 0.8.4 multiplies F32 activations with F32, BF16 or Q4 weights, and I8 activations with Q4
            // weights only (PanamaTensorOperations): its quantized mode is a model quantized to Q4 with
            // SafeTensorSupport.quantizeModel (jlama-quantize), run with I8 activations
            DType working = switch (quant) {
                case "F32" -> DType.F32;
                case "Q4" -> DType.I8;
                default -> throw new IllegalArgumentException("--quant must be F32 or Q4 for jlama, got " + quant);
            };
            this.model = ModelSupport.loadModel(new File(dir), null, DType.F32, working, Optional.empty(),
                    Optional.of(threads));
            if (quant.equals("Q4") != (model.getWeights().getModelDType() == DType.Q4)) {
                throw new IllegalArgumentException("--quant " + quant + " but the weights in " + dir + " are "
                        + model.getWeights().getModelDType() + " (jlama-quantize writes a Q4 model)");
            }
            this.cache = new KvBufferCache(model);
            this.stop = stop;
        }

        @Override
        public int[] promptIds(String prompt) {
            return Arrays.stream(model.getTokenizer().encode(prompt)).mapToInt(Math::toIntExact).toArray();
        }

        @Override
        public void decode(String prompt, int maxTokens, TokenSink sink) {
            int[] ids = promptIds(prompt);
            try (KvBufferCache.KvBuffer kv = cache.getKvBuffer(UUID.randomUUID());
                    AbstractTensor logits = model.makeDenseTensor(model.getConfig().vocabularySize)) {
                AbstractTensor batch = model.batchForward(ids, 0, kv);
                int next = model.sample(batch.slice(batch.shape().first() - 1), 0f,
                        ThreadLocalRandom.current().nextFloat(), logits);
                batch.close();
                for (int i = ids.length; !stop.contains(next); i++) {
                    if (!sink.accept(next, model.getTokenizer().decode(next)) || i - ids.length + 1 >= maxTokens) {
                        return;
                    }
                    AbstractTensor output = model.forward(next, i, kv, Optional.empty());
                    next = model.sample(output, 0f, ThreadLocalRandom.current().nextFloat(), logits);
                    output.close();
                    kv.incrementContextPosition();
                }
            }
        }

        @Override
        public void close() {
            cache.close();
            model.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> metric) {
        double[] values = runs.stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static String json(String kind, String model, String quant, int threads, double loadMs, int[] promptIds,
            List<Run> runs) {
        Run first = runs.get(0);
        StringBuilder out = new StringBuilder("{");
        field(out, "engine", quote(kind)).append(',');
        field(out, "model", quote(model)).append(',');
        field(out, "quant", quote(quant)).append(',');
        field(out, "threads", Integer.toString(threads)).append(',');
        field(out, "load_ms", number(loadMs)).append(',');
        field(out, "prompt_ids", Arrays.toString(promptIds).replace(" ", "")).append(',');
        field(out, "first_token_ms", number(median(runs, r -> r.firstToken))).append(',');
        field(out, "first_word_ms", number(median(runs, r -> r.firstWord))).append(',');
        field(out, "opener_ms", number(median(runs, r -> r.opener))).append(',');
        field(out, "tokens_ms", number(median(runs, r -> r.tokensAt))).append(',');
        field(out, "done_ms", number(median(runs, r -> r.done))).append(',');
        field(out, "ids", first.ids.toString().replace(" ", "")).append(',');
        field(out, "pieces", first.pieces.stream().map(PeerOpener::quote).collect(Collectors.joining(",", "[", "]")))
                .append(',');
        field(out, "runs_agree", Boolean.toString(runs.stream().allMatch(r -> r.pieces.equals(first.pieces))))
                .append(',');
        field(out, "repeat", Integer.toString(runs.size()));
        return out.append('}').toString();
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        return out.append(quote(name)).append(':').append(value);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "null" : String.format(java.util.Locale.ROOT, "%.3f", value);
    }

    /** A JSON string, ASCII only (every other character escaped). */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
