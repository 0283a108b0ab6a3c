package io.quarkiverse.handoff.runtime.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.WithDefault;

/**
 * How the opener model runs.
 */
public interface OpenerRuntimeConfig {

    /**
     * ONNX Runtime intra-op threads for one decoding step. 0 lets ONNX Runtime choose (one per core).
     */
    @WithDefault("0")
    int intraOpThreads();

    /**
     * When ONNX Runtime's intra-op threads spin instead of sleeping: {@code within-step} (spin between the many small
     * operations of one decoding step, sleep as soon as the step returns), {@code always} (also keep spinning between
     * steps and after the decode, ONNX Runtime's own default) or {@code off}. Within a step, spinning saves a thread
     * wake-up per operation (about a quarter less per token on 2 cores); between steps it only burns CPU, which costs
     * battery on a device and slows other work on busy cores. No effect with one intra-op thread.
     */
    @WithDefault("within-step")
    ThreadSpinning threadSpinning();

    /**
     * ONNX Runtime graph optimization level: {@code none}, {@code basic}, {@code extended} or {@code all}.
     */
    @WithDefault("all")
    GraphOptimization graphOptimizationLevel();

    /**
     * Whether ONNX Runtime uses its CPU memory arena (faster; holds on to peak memory).
     */
    @WithDefault("true")
    boolean memoryArena();

    /**
     * Whether the model runs one short decode at startup, so the first user request is not the slow one. Readiness is
     * DOWN until the model is loaded and warmed.
     */
    @WithDefault("true")
    boolean warmUp();

    /**
     * The most tokens the opener may generate, whatever the plan's word count.
     */
    @WithDefault("48")
    int maxNewTokens();

    /**
     * How long the opener may decode before it commits what it has.
     */
    @WithDefault("2s")
    Duration timeBudget();

    /**
     * The chat template family ({@code chatml} or {@code llama3}), when the model's {@code tokenizer_config.json} has
     * none or one this extension cannot render natively.
     */
    Optional<String> chatTemplate();

    /**
     * The system message given to the opener model when the conversation has none. Defaults to the one the model's
     * chat template injects.
     */
    Optional<String> systemPrompt();

    /**
     * The most tokens the model decodes to close the current sentence when the device finishes a reply alone (no cloud
     * configured, the cloud unreachable or too late). It closes the sentence in at most 8 words, or not at all.
     */
    @WithDefault("24")
    int maxLocalTokens();

    /**
     * The language the assistant speaks, as an IETF tag ({@code en}, {@code de}, {@code pt-BR}): picks the prompt
     * resources written for it, such as the sentence a reply the device finishes alone ends with
     * ({@code handoff/prompts/local-finish_de.txt}, else {@code local-finish.txt}).
     */
    @WithDefault("en")
    String language();

    enum ThreadSpinning {
        OFF,
        WITHIN_STEP,
        ALWAYS
    }

    enum GraphOptimization {
        NONE,
        BASIC,
        EXTENDED,
        ALL
    }
}
