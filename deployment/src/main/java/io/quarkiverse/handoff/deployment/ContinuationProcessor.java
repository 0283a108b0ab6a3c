package io.quarkiverse.handoff.deployment;

import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.correction.CorrectionDetector;
import io.quarkiverse.handoff.runtime.correction.ErrorCorrections;
import io.quarkiverse.handoff.runtime.correction.ExplicitCorrection;
import io.quarkiverse.handoff.runtime.correction.HumorousCorrection;
import io.quarkiverse.handoff.runtime.correction.NaturalCorrection;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourcePatternsBuildItem;

/**
 * The build steps of the cloud continuation: the fault-tolerance guard, the error-correction methods and their
 * detector, and the prompt resources. (The OpenAI wire stream needs no reflection of its own: it serializes
 * langchain4j's request types, which langchain4j-open-ai registers for native images itself.)
 */
class ContinuationProcessor {

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
}
