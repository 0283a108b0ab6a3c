package io.quarkiverse.handoff.runtime.opener;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * A decoder-only causal language model exported to ONNX with an explicit KV cache (the Hugging Face
 * decoder-with-past layout): inputs {@code input_ids}, {@code attention_mask}, {@code position_ids},
 * {@code past_key_values.N.key|value}; outputs {@code logits}, {@code present.N.key|value}. The logits cover every
 * position run ({@code [batch, seq, vocab]}) or only the last one ({@code [batch, 1, vocab]}, what
 * samples/micro-model/export.py writes by default): a step reads the last position's row of either.
 * <p>
 * One ONNX Runtime session serves every conversation; each decode keeps its own {@link State} with its cache and
 * pre-allocated buffers. ONNX Runtime sessions are safe to run concurrently.
 */
public final class OnnxCausalLm implements AutoCloseable {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String POSITION_IDS = "position_ids";
    static final String LOGITS = "logits";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelConfig config;
    private final String[] pastNames;
    private final String[] presentNames;
    /** The outputs ONNX Runtime allocates; the logits of a single-token step go to a pinned buffer instead. */
    private final Set<String> presentNameSet;
    private final String source;
    /** All ones, the attention mask of every decode (read only, shared). */
    private final LongBuffer maskOnes;
    /** Steps share it, {@link #close()} takes it alone. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;
    private static final long CLOSE_GRACE_SECONDS = 10;
    /** The domain of ONNX Runtime's fused operators in export.py's default graph. */
    static final String FUSED_OPERATOR_DOMAIN = "com.microsoft";
    static final List<String> FUSED_OPERATORS = List.of("GroupQueryAttention", "RotaryEmbedding",
            "SkipSimplifiedLayerNormalization");

    private OnnxCausalLm(OrtEnvironment env, OrtSession session, ModelConfig config, String source) {
        this.env = env;
        this.session = session;
        this.config = config;
        this.source = source;
        this.pastNames = new String[2 * config.layers()];
        this.presentNames = new String[2 * config.layers()];
        for (int layer = 0; layer < config.layers(); layer++) {
            pastNames[2 * layer] = "past_key_values." + layer + ".key";
            pastNames[2 * layer + 1] = "past_key_values." + layer + ".value";
            presentNames[2 * layer] = "present." + layer + ".key";
            presentNames[2 * layer + 1] = "present." + layer + ".value";
        }
        this.presentNameSet = Set.of(presentNames);
        this.maskOnes = directLongs(config.maxPositions());
        for (int i = 0; i < config.maxPositions(); i++) {
            maskOnes.put(i, 1L);
        }
    }

    /**
     * Opens a session on the model bytes and checks the graph matches the config.
     *
     * @param onnx the model file in native memory ({@link ModelDirectory#readDirect})
     * @param source where the model came from, for messages
     */
    public static OnnxCausalLm load(ByteBuffer onnx, ModelConfig config, OrtSession.SessionOptions options,
            String source) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try {
            session = env.createSession(onnx, options);
        } catch (OrtException e) {
            String cause = firstLine(e.getMessage());
            if (lacksAFusedOperator(cause)) {
                // a runtime or execution provider without the fused operators of export.py's default graph
                throw new ModelException(source + " needs an operator of ONNX Runtime's " + FUSED_OPERATOR_DOMAIN
                        + " domain that this ONNX Runtime lacks (" + cause + "). Re-export it with"
                        + " samples/micro-model/export.py --graph plain (standard ONNX operators only).", e);
            }
            throw new ModelException(source + " is not a loadable ONNX model (" + cause
                    + "). Re-export it with samples/micro-model/export.py.", e);
        }
        OnnxCausalLm lm = new OnnxCausalLm(env, session, config, source);
        try {
            lm.checkGraph();
        } catch (RuntimeException e) {
            lm.close();
            throw e;
        }
        return lm;
    }

    /**
     * Whether ONNX Runtime refused a model for an operator of its fused domain: one it does not know at all ("...
     * com.microsoft:X(-1) is not a registered function/op"), or one it knows without a kernel for this execution
     * provider ("Could not find an implementation for GroupQueryAttention(1) node ...").
     */
    static boolean lacksAFusedOperator(String cause) {
        return cause.contains(FUSED_OPERATOR_DOMAIN + ":") || (cause.contains("Could not find an implementation for")
                && FUSED_OPERATORS.stream().anyMatch(operator -> cause.contains(operator + "(")));
    }

    private void checkGraph() {
        Map<String, NodeInfo> inputs;
        try {
            inputs = session.getInputInfo();
        } catch (OrtException e) {
            throw new ModelException("cannot read the inputs of " + source + ": " + e.getMessage(), e);
        }
        Set<String> outputs = session.getOutputNames();
        for (String name : List.of(INPUT_IDS, ATTENTION_MASK, POSITION_IDS)) {
            if (!inputs.containsKey(name)) {
                throw layoutError("has no input '" + name + "'");
            }
        }
        if (!outputs.contains(LOGITS)) {
            throw layoutError("has no output 'logits'");
        }
        long[] logitsShape;
        try {
            logitsShape = ((TensorInfo) session.getOutputInfo().get(LOGITS).getInfo()).getShape();
        } catch (OrtException | ClassCastException e) {
            throw new ModelException("cannot read the output 'logits' of " + source + ": " + e.getMessage(), e);
        }
        long columns = logitsShape.length == 0 ? -1 : logitsShape[logitsShape.length - 1];
        if (logitsShape.length != 3 || (columns > 0 && columns != config.vocabSize())) {
            throw new ModelException(source + " has an output 'logits' of shape "
                    + Arrays.toString(logitsShape) + " but its config.json says vocab_size="
                    + config.vocabSize() + " (expected [batch, seq, " + config.vocabSize() + "] or [batch, 1, "
                    + config.vocabSize() + "]): put the config.json exported with this model next to it");
        }
        for (int i = 0; i < pastNames.length; i++) {
            if (!inputs.containsKey(pastNames[i])) {
                throw layoutError("has no input '" + pastNames[i] + "' although config.json says num_hidden_layers="
                        + config.layers());
            }
            if (!outputs.contains(presentNames[i])) {
                throw layoutError("has no output '" + presentNames[i] + "'");
            }
            long[] shape = ((TensorInfo) inputs.get(pastNames[i]).getInfo()).getShape();
            if (shape.length != 4 || (shape[1] > 0 && shape[1] != config.kvHeads())
                    || (shape[3] > 0 && shape[3] != config.headDim())) {
                throw layoutError("input '" + pastNames[i] + "' has shape " + Arrays.toString(shape)
                        + " but config.json says " + config.kvHeads() + " key/value heads of size "
                        + config.headDim());
            }
        }
        if (inputs.size() != 3 + pastNames.length) {
            throw layoutError("has " + inputs.size() + " inputs, expected " + (3 + pastNames.length)
                    + " for " + config.layers() + " layers: is config.json the one of this model?");
        }
    }

    private ModelException layoutError(String what) {
        return new ModelException(source + " " + what + ": the opener needs a decoder exported with its KV cache "
                + "(inputs input_ids, attention_mask, position_ids, past_key_values.N.key|value; outputs logits, "
                + "present.N.key|value). Export it with samples/micro-model/export.py.");
    }

    public ModelConfig config() {
        return config;
    }

    /** Where the model was loaded from, for messages. */
    public String source() {
        return source;
    }

    /** A fresh decoding state: an empty cache and buffers for up to the model's context window. */
    public State newState() {
        return new State(null);
    }

    /**
     * A decoding state whose cache starts with a prefix computed once (its tensors are shared, never changed): the
     * next {@link #forward} continues after the prefix's tokens.
     */
    public State newState(Prefix prefix) {
        return new State(prefix);
    }

    /**
     * Runs the model on tokens every decode starts with (such as the chat template's system turn) and keeps their
     * cache for {@link #newState(Prefix)}. Close it after the states that use it.
     */
    public Prefix prefix(int[] tokens) {
        State state = new State(null);
        try {
            forward(state, tokens, tokens.length);
            Prefix prefix = new Prefix(tokens.clone(), state.past.clone(), state.pastOwner);
            state.pastOwner = null;
            state.pastShared = true; // now owned by the prefix
            return prefix;
        } finally {
            state.close();
        }
    }

    /** The cache of tokens shared by many decodes; read only. */
    public static final class Prefix implements AutoCloseable {
        private final int[] tokens;
        private final OnnxTensor[] past;
        private final OrtSession.Result owner;

        private Prefix(int[] tokens, OnnxTensor[] past, OrtSession.Result owner) {
            this.tokens = tokens;
            this.past = past;
            this.owner = owner;
        }

        /** The tokens whose cache this is. */
        public int[] tokens() {
            return tokens.clone();
        }

        public int length() {
            return tokens.length;
        }

        /** Whether a prompt starts with these tokens and has at least one more. */
        public boolean prefixes(int[] prompt) {
            if (prompt.length <= tokens.length) {
                return false;
            }
            for (int i = 0; i < tokens.length; i++) {
                if (prompt[i] != tokens[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() {
            if (owner != null) {
                owner.close();
            }
        }
    }

    /**
     * Runs the model on new tokens, appending them to the state's cache, and leaves the logits of the last position
     * in {@link State#logits()}.
     */
    public void forward(State state, int[] tokens, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("forward needs at least one token");
        }
        int total = state.length + count;
        if (total > config.maxPositions()) {
            throw new ContextOverflowException(total, config.maxPositions(), source);
        }
        boolean single = count == 1;
        OnnxTensor ids = null;
        OnnxTensor positions = null;
        OnnxTensor mask = null;
        try {
            if (single) {
                state.stepIds.put(0, tokens[0]);
                state.stepPosition.put(0, state.length);
                ids = state.stepIdsTensor;
                positions = state.stepPositionTensor;
            } else {
                long[] idArray = new long[count];
                long[] posArray = new long[count];
                for (int i = 0; i < count; i++) {
                    idArray[i] = tokens[i];
                    posArray[i] = state.length + i;
                }
                ids = OnnxTensor.createTensor(env, LongBuffer.wrap(idArray), new long[] { 1, count });
                positions = OnnxTensor.createTensor(env, LongBuffer.wrap(posArray), new long[] { 1, count });
            }
            // ONNX Runtime fixes a tensor's shape at creation: the mask, one longer every step, is a new tensor, but
            // over the same all-ones buffer
            state.maskView.clear().limit(total);
            mask = OnnxTensor.createTensor(env, state.maskView, new long[] { 1, total });

            Map<String, OnnxTensor> inputs = state.inputs;
            inputs.put(INPUT_IDS, ids);
            inputs.put(POSITION_IDS, positions);
            inputs.put(ATTENTION_MASK, mask);
            for (int i = 0; i < pastNames.length; i++) {
                inputs.put(pastNames[i], state.past[i]);
            }
            OrtSession.Result result;
            Lock running = lifecycle.readLock();
            running.lock();
            try {
                if (closed) {
                    throw new ModelException("the opener model " + source + " is closed: the application is stopping");
                }
                result = single
                        ? session.run(inputs, presentNameSet, state.pinnedLogits)
                        : session.run(inputs);
            } finally {
                running.unlock();
            }
            // scratch for this step's cache: after a failure it holds tensors of the closed result, never read again
            OnnxTensor[] present = state.present;
            try {
                for (int i = 0; i < presentNames.length; i++) {
                    present[i] = (OnnxTensor) result.get(presentNames[i]).orElseThrow();
                }
                if (single) {
                    state.logitsBuffer.rewind();
                    state.logitsBuffer.get(state.logits);
                } else {
                    OnnxTensor logits = (OnnxTensor) result.get(LOGITS).orElseThrow();
                    FloatBuffer rows = logits.getFloatBuffer();
                    rows.position(lastRowOffset(logits.getInfo().getShape(), count));
                    rows.get(state.logits);
                }
            } catch (RuntimeException e) {
                result.close(); // the state keeps its cache, without this step
                throw e;
            }
            state.replaceCache(present, result);
            state.length = total;
        } catch (OrtException e) {
            throw new ModelException("the opener model " + source + " failed on a decoding step: " + e.getMessage(), e);
        } finally {
            closeQuietly(mask);
            if (!single) {
                closeQuietly(ids);
                closeQuietly(positions);
            }
        }
    }

    /**
     * Where the last position's logits start in the logits a step over {@code count} tokens returned: the shape the
     * graph actually returned decides, whatever its metadata says.
     */
    int lastRowOffset(long[] shape, int count) {
        int vocab = config.vocabSize();
        if (shape.length == 3 && shape[0] == 1 && shape[2] == vocab) {
            if (shape[1] == count) {
                return (count - 1) * vocab;
            }
            if (shape[1] == 1) {
                return 0;
            }
        }
        throw new ModelException("the opener model " + source + " returned logits of shape " + Arrays.toString(shape)
                + " for " + count + " tokens, expected [1, " + count + ", " + vocab + "] (every position) or [1, 1, "
                + vocab + "] (the last position only): re-export it with samples/micro-model/export.py");
    }

    /**
     * Closes the session once the steps in flight have ended (a session closed under a running step crashes the
     * process); later steps fail with a {@link ModelException}. If a step is still running after the grace period the
     * session is left open: a leak at shutdown is better than a crash.
     */
    @Override
    public void close() {
        Lock exclusive = lifecycle.writeLock();
        try {
            if (!exclusive.tryLock(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (!closed) {
                closed = true;
                session.close();
            }
        } catch (OrtException e) {
            // closing at shutdown: nothing left to do with the error
        } finally {
            exclusive.unlock();
        }
    }

    private static void closeQuietly(OnnxValue value) {
        if (value != null) {
            value.close();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The context window would overflow. */
    public static final class ContextOverflowException extends ModelException {
        private final int tokens;
        private final int window;

        public ContextOverflowException(int tokens, int window) {
            this(tokens, window, "the opener model");
        }

        /** @param source the model file, for the message */
        public ContextOverflowException(int tokens, int window, String source) {
            super("the conversation needs " + tokens + " tokens but the context window of " + source + " is "
                    + window + " tokens (max_position_embeddings in its config.json): shorten the conversation "
                    + "(drop early turns) or use a model with a longer context");
            this.tokens = tokens;
            this.window = window;
        }

        /** Tokens the conversation needs (prompt plus at least one new token). */
        public int tokens() {
            return tokens;
        }

        /** The model's context window in tokens. */
        public int window() {
            return window;
        }
    }

    /** The cache and buffers of one decode. Not thread-safe: one decode at a time per state. */
    public final class State implements AutoCloseable {

        private final OnnxTensor[] past = new OnnxTensor[pastNames.length];
        /** The cache a step returns, before it replaces {@link #past}. */
        private final OnnxTensor[] present = new OnnxTensor[pastNames.length];
        /** The inputs of every step: each step replaces the values, never the map. */
        private final Map<String, OnnxTensor> inputs = new HashMap<>(2 * (3 + pastNames.length));
        /** This decode's view of the shared all-ones mask, its limit set to the tokens of each step. */
        private final LongBuffer maskView = maskOnes.duplicate();
        private OrtSession.Result pastOwner;
        /** Whether {@link #past} belongs to a {@link Prefix}: not closed here. */
        private boolean pastShared;
        private int length;
        private final float[] logits = new float[config.vocabSize()];
        private final LongBuffer stepIds = directLongs(1);
        private final LongBuffer stepPosition = directLongs(1);
        private final OnnxTensor stepIdsTensor;
        private final OnnxTensor stepPositionTensor;
        private final FloatBuffer logitsBuffer;
        private final Map<String, OnnxValue> pinnedLogits;

        private State(Prefix prefix) {
            logitsBuffer = ByteBuffer.allocateDirect(4 * config.vocabSize()).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            try {
                stepIdsTensor = OnnxTensor.createTensor(env, stepIds, new long[] { 1, 1 });
                stepPositionTensor = OnnxTensor.createTensor(env, stepPosition, new long[] { 1, 1 });
                pinnedLogits = Map.of(LOGITS,
                        OnnxTensor.createTensor(env, logitsBuffer, new long[] { 1, 1, config.vocabSize() }));
                if (prefix != null) {
                    System.arraycopy(prefix.past, 0, past, 0, past.length);
                    pastShared = true;
                    length = prefix.length();
                } else {
                    FloatBuffer empty = FloatBuffer.allocate(0);
                    for (int i = 0; i < past.length; i++) {
                        past[i] = OnnxTensor.createTensor(env, empty,
                                new long[] { 1, config.kvHeads(), 0, config.headDim() });
                    }
                }
            } catch (OrtException e) {
                throw new ModelException("cannot allocate the decoding buffers of " + source + ": " + e.getMessage(),
                        e);
            }
        }

        /** Tokens in the cache. */
        public int length() {
            return length;
        }

        /** The logits of the last position run, overwritten by the next {@link #forward}. */
        public float[] logits() {
            return logits;
        }

        private void replaceCache(OnnxTensor[] present, OrtSession.Result owner) {
            releasePast();
            System.arraycopy(present, 0, past, 0, past.length);
            pastOwner = owner;
            pastShared = false;
        }

        private void releasePast() {
            if (pastOwner != null) {
                pastOwner.close();
                pastOwner = null;
            } else if (!pastShared) {
                for (OnnxTensor t : past) {
                    t.close();
                }
            }
        }

        @Override
        public void close() {
            releasePast();
            stepIdsTensor.close();
            stepPositionTensor.close();
            pinnedLogits.values().forEach(OnnxValue::close);
        }
    }

    private static LongBuffer directLongs(int n) {
        return ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asLongBuffer();
    }
}
