package io.quarkiverse.handoff.runtime.config;

import io.smallrye.config.WithDefault;

/**
 * Which opener model the application ships. Fixed at build time: the build checks the model is there and packages it
 * for the native image.
 */
public interface OpenerBuildConfig {

    /** The classpath prefix that marks a model directory packaged as resources. */
    String CLASSPATH_PREFIX = "classpath:";

    /** The demo model of the {@code quarkus-handoff-demo-model} artifact. */
    String DEMO_MODEL = CLASSPATH_PREFIX + "handoff/demo-model";

    /**
     * Whether the on-device opener is enabled. When disabled, every handoff is cloud-only.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The model directory: {@code classpath:some/dir} for a directory packaged as resources (the default is the demo
     * model of the {@code io.quarkiverse.handoff:quarkus-handoff-demo-model} artifact), or a file system path. The
     * directory holds the ONNX export with KV cache, {@code config.json}, {@code tokenizer.json} and
     * {@code tokenizer_config.json}.
     */
    @WithDefault(DEMO_MODEL)
    String model();

    /**
     * The ONNX file inside the model directory, e.g. {@code model.int8.onnx} for the int8 variant.
     */
    @WithDefault("model.onnx")
    String modelFile();
}
