package io.quarkiverse.handoff.runtime.opener;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffClock.Milestone;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.policy.Sampling;
import io.quarkiverse.handoff.runtime.BackgroundThread;
import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig;
import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig.ThreadSpinning;
import io.quarkiverse.handoff.runtime.tokenizer.ChatTemplate;
import io.quarkiverse.handoff.runtime.tokenizer.StreamingDecoder;
import io.quarkiverse.handoff.runtime.tokenizer.Tokenizer;
import io.quarkiverse.handoff.runtime.tokenizer.TokenizerException;

/**
 * A loaded opener model: the ONNX session, its tokenizer and chat template, and the KV-cache decoding loop.
 */
public final class OpenerEngine implements AutoCloseable {

    private static final AtomicBoolean ONNX_RUNTIME_INIT_STARTED = new AtomicBoolean();

    /** A local finish closes the reply's sentence in at most this many words, or says none. */
    static final int MAX_CLOSING_WORDS = 8;

    static final String CONFIG_JSON = "config.json";
    static final String TOKENIZER_JSON = "tokenizer.json";
    static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";
    static final String CHAT_TEMPLATE_JINJA = "chat_template.jinja";

    private final OnnxCausalLm lm;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final PromptWindow window;
    private final boolean[] stopTokens;
    private final String name;
    /** Model steps run (prefills and single-token steps), for metrics and tests. */
    private final LongAdder forwardSteps = new LongAdder();
    /** The cache of the tokens every prompt starts with (the template's head), computed once; null if none. */
    private final OnnxCausalLm.Prefix head;

    private OpenerEngine(OnnxCausalLm lm, Tokenizer tokenizer, ChatTemplate template, Optional<String> systemPrompt,
            String name) {
        this.lm = lm;
        this.tokenizer = tokenizer;
        this.template = template;
        this.name = name;
        ModelConfig config = lm.config();
        this.window = new PromptWindow(tokenizer, template, systemPrompt.map(ChatMessage::system),
                config.maxPositions());
        this.stopTokens = new boolean[config.vocabSize()];
        config.eosTokenIds().forEach(this::markStop);
        for (String special : List.of("<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end_of_text|>", "</s>")) {
            tokenizer.tokenId(special).ifPresent(this::markStop);
        }
        this.head = computeHead();
    }

    /**
     * Prefills, once, the tokens that every prompt starts with: the template's opening (BOS, default system turn,
     * the user turn's header). A decode whose prompt starts with exactly these ids continues from their cache, so
     * its first token costs only the conversation's own tokens. The ids are compared at every request, so a prompt
     * that starts otherwise (another system message) is simply prefilled whole.
     */
    private OnnxCausalLm.Prefix computeHead() {
        int[] a = prompt(List.of(ChatMessage.user("a")), Optional.empty(), 1);
        int[] b = prompt(List.of(ChatMessage.user("Z 9")), Optional.empty(), 1);
        int common = 0;
        while (common < a.length && common < b.length && a[common] == b[common]) {
            common++;
        }
        if (common < 2 || common >= lm.config().maxPositions()) {
            return null;
        }
        return lm.prefix(Arrays.copyOf(a, common));
    }

    /** Tokens of the shared prompt head whose cache is computed once (0 when none). */
    public int headTokens() {
        return head == null ? 0 : head.length();
    }

    private void markStop(int id) {
        if (id >= 0 && id < stopTokens.length) {
            stopTokens[id] = true;
        }
    }

    /**
     * Loads and checks every file of a model directory. The tokenizer is read on a thread of its own while ONNX
     * Runtime loads the model: both take a few hundred milliseconds in a JVM that has just started.
     */
    public static OpenerEngine load(ModelDirectory dir, String modelFile, OpenerRuntimeConfig config) {
        startOnnxRuntimeInit();
        ModelConfig modelConfig = modelConfig(dir);
        CompletableFuture<Tokenizer> tokenizerLoading = CompletableFuture.supplyAsync(() -> tokenizer(dir),
                task -> BackgroundThread.start("handoff-tokenizer-loader", task));
        OnnxCausalLm lm;
        ChatTemplate template;
        try {
            template = chatTemplate(dir, config.chatTemplate());
            ByteBuffer onnx = dir.readDirect(modelFile);
            try (OrtSession.SessionOptions options = sessionOptions(config)) {
                lm = OnnxCausalLm.load(onnx, modelConfig, options, dir.describe(modelFile));
            } catch (OrtException e) {
                throw new ModelException("invalid ONNX Runtime session options: " + e.getMessage()
                        + ". Check quarkus.handoff.opener.intra-op-threads and graph-optimization-level.", e);
            }
        } catch (RuntimeException | Error e) {
            // a broken tokenizer is reported first (it was read first before the two loaded side by side), with the
            // model's failure attached
            try {
                awaitTokenizer(tokenizerLoading);
            } catch (RuntimeException | Error tokenizerFailure) {
                tokenizerFailure.addSuppressed(e);
                throw tokenizerFailure;
            }
            throw e;
        }
        try {
            Tokenizer tokenizer = awaitTokenizer(tokenizerLoading);
            if (tokenizer.vocabSize() > modelConfig.vocabSize()) {
                throw new ModelException("the tokenizer " + dir.describe(TOKENIZER_JSON) + " has "
                        + tokenizer.vocabSize() + " token ids but the model's " + dir.describe(CONFIG_JSON)
                        + " says vocab_size=" + modelConfig.vocabSize() + ": they do not belong together. Use the "
                        + "tokenizer.json exported with this model (samples/micro-model/export.py writes both into "
                        + "one directory).");
            }
            return new OpenerEngine(lm, tokenizer, template, config.systemPrompt(), dir.toString());
        } catch (RuntimeException | Error e) {
            lm.close();
            throw e;
        }
    }

    /**
     * Starts loading ONNX Runtime's native libraries on a thread of their own, once: a few hundred milliseconds (they
     * are extracted from their jar first) that need no configuration, so on the JVM they start in the static
     * initialization (BackgroundStartRecorder), and {@link #load} starts them otherwise. The session's own call then
     * finds them loaded, or waits for them.
     */
    public static void startOnnxRuntimeInit() {
        if (ONNX_RUNTIME_INIT_STARTED.compareAndSet(false, true)) {
            BackgroundThread.start("handoff-onnx-runtime-init", OpenerEngine::initOnnxRuntime);
        }
    }

    private static void initOnnxRuntime() {
        try {
            OrtEnvironment.getEnvironment();
        } catch (RuntimeException | Error e) {
            // the session's own call fails the same way, and reports it with the model's name
        }
    }

    private static ModelConfig modelConfig(ModelDirectory dir) {
        ModelConfig modelConfig;
        try (InputStream in = dir.open(CONFIG_JSON)) {
            modelConfig = ModelConfig.read(in, dir.describe(CONFIG_JSON));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (dir.exists(GenerationConfig.FILE)) {
            // transformers' generate() stops on these too, so the opener must as well
            try (InputStream in = dir.open(GenerationConfig.FILE)) {
                modelConfig = modelConfig.withEosTokenIds(GenerationConfig.read(in, dir.describe(GenerationConfig.FILE),
                        modelConfig.vocabSize()).eosTokenIds());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return modelConfig;
    }

    private static Tokenizer tokenizer(ModelDirectory dir) {
        try (InputStream in = dir.open(TOKENIZER_JSON)) {
            return Tokenizer.load(in, dir.describe(TOKENIZER_JSON));
        } catch (TokenizerException e) {
            throw new ModelException("the opener model's tokenizer cannot be used: " + e.getMessage()
                    + ". Use the tokenizer.json of this model, as written by samples/micro-model/export.py.", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The loaded tokenizer, or the exception that loading it threw, as it threw it. */
    private static Tokenizer awaitTokenizer(CompletableFuture<Tokenizer> loading) {
        try {
            return loading.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * The configured template family, else the model's {@code chat_template.jinja}, else the {@code chat_template} of
     * its {@code tokenizer_config.json}.
     */
    static ChatTemplate chatTemplate(ModelDirectory dir, Optional<String> family) {
        if (family.isPresent()) {
            return ChatTemplate.ofFamily(family.get());
        }
        String bos = null;
        String template = null;
        String origin = dir.describe(TOKENIZER_CONFIG_JSON);
        if (dir.exists(TOKENIZER_CONFIG_JSON)) {
            try {
                JsonNode json = new ObjectMapper().readTree(dir.readAll(TOKENIZER_CONFIG_JSON));
                JsonNode bosNode = json.get("bos_token");
                bos = bosNode == null || bosNode.isNull() ? null
                        : bosNode.isTextual() ? bosNode.asText() : bosNode.path("content").asText(null);
                JsonNode templateNode = json.get("chat_template");
                template = templateNode != null && templateNode.isTextual() ? templateNode.asText() : null;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ModelException(origin + " is not valid JSON (" + e.getOriginalMessage().lines().findFirst()
                        .orElse("syntax error") + "): use the tokenizer_config.json exported with this model, or "
                        + "delete it and set " + ChatTemplate.CONFIG_PROPERTY + " to chatml or llama3", e);
            } catch (IOException e) {
                throw new ModelException("cannot read " + origin + ": " + e.getMessage(), e);
            }
        }
        if (dir.exists(CHAT_TEMPLATE_JINJA)) {
            origin = dir.describe(CHAT_TEMPLATE_JINJA);
            template = new String(dir.readAll(CHAT_TEMPLATE_JINJA), StandardCharsets.UTF_8);
        }
        if (template == null) {
            throw new ModelException("the opener model " + dir + " has no chat template (no chat_template in "
                    + TOKENIZER_CONFIG_JSON + ", no " + CHAT_TEMPLATE_JINJA + "): set " + ChatTemplate.CONFIG_PROPERTY
                    + " to chatml or llama3");
        }
        return ChatTemplate.fromSource(template, bos, origin);
    }

    static OrtSession.SessionOptions sessionOptions(OpenerRuntimeConfig config) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        if (config.intraOpThreads() > 0) {
            options.setIntraOpNumThreads(config.intraOpThreads());
        }
        options.setOptimizationLevel(switch (config.graphOptimizationLevel()) {
            case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
            case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
        });
        options.setCPUArenaAllocator(config.memoryArena());
        options.addConfigEntry("session.intra_op.allow_spinning",
                config.threadSpinning() == ThreadSpinning.OFF ? "0" : "1");
        if (config.threadSpinning() == ThreadSpinning.WITHIN_STEP) {
            // threads stop spinning the moment a step returns and restart on the next one: no idle burn between steps
            options.addConfigEntry("session.force_spinning_stop", "1");
        }
        return options;
    }

    public String name() {
        return name;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * How many tokens a whole conversation is as this model reads it, rendered by its chat template with the
     * assistant's turn opened; unlike {@link #prompt} it is never cut to the context window.
     */
    public int promptTokens(List<ChatMessage> messages) {
        return tokenizer.encode(template.render(messages, true)).length;
    }

    public ModelConfig modelConfig() {
        return lm.config();
    }

    /**
     * The prompt tokens for a conversation, optionally with the start of the assistant's reply already written, fitted
     * to the model's context window with room for {@code newTokens} more ({@link PromptWindow}: a conversation of any
     * length works).
     */
    public int[] prompt(List<ChatMessage> messages, Optional<String> assistantPrefix, int newTokens) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("the conversation is empty: give the opener at least the user's message");
        }
        int[] ids = window.fit(messages, assistantPrefix, newTokens);
        if (ids.length == 0) {
            throw new IllegalArgumentException("the conversation renders to an empty prompt with the chat template "
                    + template.origin() + ": give the opener a non-empty user message");
        }
        return ids;
    }

    /** Receives each generated token's text as it is decoded. */
    @FunctionalInterface
    public interface TokenSink {
        /**
         * @param text the text the token adds (may be empty while a multi-byte character is incomplete)
         * @param probability the model's probability of the token
         * @return false to stop decoding
         */
        boolean onToken(String text, double probability);

        /**
         * The same with the token id; the decoder calls this one.
         *
         * @param token the generated token id, or -1 for text the decoder flushed at the end (no new token)
         */
        default boolean onToken(int token, String text, double probability) {
            return onToken(text, probability);
        }
    }

    /** Receives an opener's words, and optionally its tokens. */
    @FunctionalInterface
    public interface OpenerListener {
        /** A complete word, the moment it is complete. */
        void onWord(OpenerWord word);

        /** A generated token id (before the word it belongs to is complete). */
        default void onToken(int token) {
        }

        /** The opener stopped: where and why (after its last word). */
        default void onStop(OpenerStop stop) {
        }
    }

    /**
     * Writes an opener for a conversation: decodes with the plan's sampling, cuts the text into complete words and
     * stops at the plan's handoff point (before a fact the conversation does not hold when the plan is grounded, see
     * {@link WordCutter}), after {@code maxNewTokens}, when {@code timeBudget} is spent (measured on the handoff's
     * clock from this call, prompt included) or when {@code cancelled} turns true (checked before every token). Marks
     * the opener milestones on the clock and tells the listener where and why it stopped. A word cut by the token
     * limit, the time budget or a cancellation is never emitted.
     */
    public StopReason open(List<ChatMessage> messages, HandoffPlan plan, int maxNewTokens, Duration timeBudget,
            HandoffClock clock, OpenerListener listener, BooleanSupplier cancelled) {
        long deadline = clock.elapsedNanos() + Math.min(timeBudget.toNanos(), Long.MAX_VALUE / 4);
        WordCutter cutter = new WordCutter(plan, plan.groundedOnly()
                ? GroundingGuard.of(messages, plan.factClasses(), this::inVocabulary)
                : null, clock, listener::onWord);
        if (plan.openerWords() == 0) {
            clock.mark(Milestone.OPENER_DONE);
            listener.onStop(cutter.stop());
            return StopReason.SINK;
        }
        int[] prompt = prompt(messages, Optional.empty(), maxNewTokens);
        // speech draws only words the model is sure enough of to say: a doubtful word stops it, chosen or not
        double minProbability = plan.handoffPoint() == HandoffPoint.CLAUSE_BOUNDARY ? plan.confidenceThreshold() : 0;
        StopReason reason = generate(prompt, plan.sampling(), minProbability, maxNewTokens, new TokenSink() {
            @Override
            public boolean onToken(String text, double probability) {
                return onToken(-1, text, probability);
            }

            @Override
            public boolean onToken(int token, String text, double probability) {
                clock.mark(Milestone.OPENER_FIRST_TOKEN);
                if (token >= 0) {
                    listener.onToken(token);
                }
                return cutter.accept(text, probability) && clock.elapsedNanos() - deadline < 0;
            }
        }, cancelled);
        cutter.finish(reason == StopReason.END_OF_SEQUENCE);
        clock.mark(Milestone.OPENER_DONE);
        listener.onStop(cutter.stop());
        return reason;
    }

    /**
     * Closes the sentence a reply stopped in, when the device must finish the reply alone: decodes the model's likeliest
     * words (greedy) until the sentence ends. Gives up, returning empty, when that takes more than
     * {@value #MAX_CLOSING_WORDS} words, when a word would state a fact neither the conversation nor the reply holds
     * (for a grounded plan), or when the decode ends any other way. A micro-model's free text is what a local finish
     * must not say: it says the few words that close the sentence, or none.
     */
    public Optional<String> closeSentence(List<ChatMessage> messages, String replySoFar, HandoffPlan plan,
            int maxNewTokens, BooleanSupplier cancelled) {
        List<ChatMessage> withReply = new ArrayList<>(messages);
        withReply.add(ChatMessage.assistant(replySoFar));
        GroundingGuard guard = plan.groundedOnly()
                ? GroundingGuard.of(withReply, plan.factClasses(), this::inVocabulary)
                : null;
        SentenceCloser closer = new SentenceCloser(guard, replySoFar, MAX_CLOSING_WORDS);
        StopReason reason = generate(prompt(messages, Optional.of(replySoFar), maxNewTokens), Sampling.GREEDY,
                maxNewTokens, closer, cancelled);
        return closer.closing(reason == StopReason.END_OF_SEQUENCE);
    }

    /**
     * Whether a lower-case word is one token of the model's vocabulary (after a space, as inside a sentence): a word
     * the model met often in lower case, so a common word rather than a name ("message" is, "lima" is not).
     */
    boolean inVocabulary(String lowerCaseWord) {
        return tokenizer.encode(" " + lowerCaseWord).length == 1;
    }

    /** Model steps run by this engine since it was loaded (one prefill or one new token each). */
    public long forwardSteps() {
        return forwardSteps.sum();
    }

    /** Why a decode stopped. */
    public enum StopReason {
        END_OF_SEQUENCE,
        SINK,
        MAX_TOKENS,
        CANCELLED
    }

    /**
     * Decodes with the KV cache until end of sequence, the token limit, the sink says stop, or {@code cancelled}
     * turns true (checked before every model step, so a cancelled decode runs no further step).
     */
    public StopReason generate(int[] prompt, Sampling sampling, int maxNewTokens, TokenSink sink,
            BooleanSupplier cancelled) {
        return generate(prompt, sampling, 0, maxNewTokens, sink, cancelled);
    }

    private StopReason generate(int[] prompt, Sampling sampling, double minProbability, int maxNewTokens,
            TokenSink sink, BooleanSupplier cancelled) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: the opener needs at least one prompt token "
                    + "(render the conversation with prompt(...))");
        }
        int window = lm.config().maxPositions();
        if (prompt.length >= window) {
            throw new OnnxCausalLm.ContextOverflowException(prompt.length + 1, window, lm.source());
        }
        int budget = Math.min(maxNewTokens, window - prompt.length);
        Sampler sampler = new Sampler(sampling, lm.config().vocabSize(), minProbability);
        for (int id : prompt) {
            sampler.observe(id);
        }
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        int[] one = new int[1];
        boolean fromHead = head != null && head.prefixes(prompt);
        try (OnnxCausalLm.State state = fromHead ? lm.newState(head) : lm.newState()) {
            if (cancelled.getAsBoolean()) {
                return StopReason.CANCELLED;
            }
            if (fromHead) {
                int[] rest = Arrays.copyOfRange(prompt, head.length(), prompt.length);
                lm.forward(state, rest, rest.length);
            } else {
                lm.forward(state, prompt, prompt.length);
            }
            forwardSteps.increment();
            for (int generated = 0; generated < budget; generated++) {
                Sampler.Pick pick = sampler.next(state.logits());
                if (stopTokens[pick.token()]) {
                    String rest = decoder.flush();
                    if (!rest.isEmpty()) {
                        sink.onToken(-1, rest, pick.probability());
                    }
                    return StopReason.END_OF_SEQUENCE;
                }
                sampler.observe(pick.token());
                if (!sink.onToken(pick.token(), decoder.push(pick.token()), pick.probability())) {
                    return StopReason.SINK;
                }
                if (generated + 1 < budget) {
                    if (cancelled.getAsBoolean()) {
                        // checked right before the expensive step: a cancelled decode runs no model step more
                        return StopReason.CANCELLED;
                    }
                    one[0] = pick.token();
                    lm.forward(state, one, 1);
                    forwardSteps.increment();
                }
            }
            String rest = decoder.flush();
            if (!rest.isEmpty()) {
                sink.onToken(-1, rest, 1.0);
            }
            return StopReason.MAX_TOKENS;
        }
    }

    @Override
    public void close() {
        // the model first: it waits for the step in flight, which may be reading the head's cache, and fails later
        // steps before they read it; only then can the head's cache be freed without crashing the process
        lm.close();
        if (head != null) {
            head.close();
        }
    }
}
