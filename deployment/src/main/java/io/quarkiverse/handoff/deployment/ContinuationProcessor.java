package io.quarkiverse.handoff.deployment;

import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.correction.CorrectionDetector;
import io.quarkiverse.handoff.runtime.correction.ErrorCorrections;
import io.quarkiverse.handoff.runtime.correction.ExplicitCorrection;
import io.quarkiverse.handoff.runtime.correction.HumorousCorrection;
import io.quarkiverse.handoff.runtime.correction.NaturalCorrection;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourcePatternsBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;

/**
 * The build steps of the cloud continuation: the fault-tolerance guard, the error-correction methods and their
 * detector, the prompt resources and the reflective access to the OpenAI model's client.
 */
class ContinuationProcessor {

    static final String OPENAI_STREAMING_MODEL = "dev.langchain4j.model.openai.OpenAiStreamingChatModel";

    @BuildStep
    AdditionalBeanBuildItem beans() {
        return AdditionalBeanBuildItem.builder()
                .addBeanClasses(ContinuationGuard.class, ErrorCorrections.class, CorrectionDetector.class,
                        ExplicitCorrection.class, NaturalCorrection.class, HumorousCorrection.class)
                .setUnremovable()
                .build();
    }

    /** The prompts are read at run time, also in a native image (the application's own ones included). */
    @BuildStep
    NativeImageResourcePatternsBuildItem prompts() {
        return NativeImageResourcePatternsBuildItem.builder()
                .includeGlob("META-INF/handoff/prompts/*")
                .includeGlob("handoff/prompts/*")
                .build();
    }

    /** The OpenAI wire stream reads the model's HTTP client from its private field. */
    @BuildStep
    void openAiClientField(BuildProducer<ReflectiveClassBuildItem> reflective) {
        if (QuarkusClassLoader.isClassPresentAtRuntime(OPENAI_STREAMING_MODEL)) {
            reflective.produce(ReflectiveClassBuildItem.builder(OPENAI_STREAMING_MODEL).fields().build());
        }
    }
}
