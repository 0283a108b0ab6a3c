package io.quarkiverse.handoff.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.quarkiverse.handoff.runtime.config.HandoffBuildConfig;
import io.quarkiverse.handoff.runtime.config.OpenerBuildConfig;
import io.quarkiverse.handoff.runtime.opener.ModelDirectory;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Checks at build time that the configured opener model is complete, and packages it for the native image.
 */
class OpenerModelProcessor {

    static final String MODEL_PROPERTY = "quarkus.handoff.opener.model";

    /** The files every opener model directory must hold, beside the ONNX file itself. */
    static final List<String> REQUIRED_FILES = List.of("config.json", "tokenizer.json");
    static final String OPTIONAL_TEMPLATE = "tokenizer_config.json";

    @BuildStep
    OpenerModelBuildItem checkModel(HandoffBuildConfig buildConfig) {
        OpenerBuildConfig config = buildConfig.opener();
        if (!config.enabled()) {
            return null;
        }
        ModelDirectory dir = ModelDirectory.of(config.model());
        for (String file : requiredFiles(config)) {
            if (!dir.exists(file)) {
                throw new ConfigurationException("The opener model directory '" + config.model() + "' has no "
                        + file + " (looked for " + dir.describe(file) + "). Set " + MODEL_PROPERTY
                        + " to a directory holding the ONNX export with KV cache (" + config.modelFile()
                        + "), config.json and tokenizer.json: either classpath:DIR for resources of the application "
                        + "or a file system path. For the demo model add the dependency "
                        + "io.quarkiverse.handoff:quarkus-handoff-demo-model and leave " + MODEL_PROPERTY
                        + " unset. To run without an opener set quarkus.handoff.opener.enabled=false.",
                        Set.of(MODEL_PROPERTY));
            }
        }
        return new OpenerModelBuildItem(dir);
    }

    @BuildStep
    void packageModel(HandoffBuildConfig config, Optional<OpenerModelBuildItem> model,
            BuildProducer<NativeImageResourceBuildItem> resources) {
        if (model.isEmpty() || !model.get().directory().isClasspath()) {
            return;
        }
        ModelDirectory dir = model.get().directory();
        List<String> files = new ArrayList<>(requiredFiles(config.opener()));
        if (dir.exists(OPTIONAL_TEMPLATE)) {
            files.add(OPTIONAL_TEMPLATE);
        }
        resources.produce(new NativeImageResourceBuildItem(files.stream().map(dir::resourceName).toList()));
    }

    private static List<String> requiredFiles(OpenerBuildConfig config) {
        List<String> files = new ArrayList<>();
        files.add(config.modelFile());
        files.addAll(REQUIRED_FILES);
        return files;
    }
}
