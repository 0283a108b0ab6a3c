package io.quarkiverse.handoff.deployment;

import java.util.List;

import jakarta.inject.Singleton;

import io.quarkiverse.handoff.runtime.config.HandoffBuildConfig;
import io.quarkiverse.handoff.runtime.continuator.CloudProvider;
import io.quarkiverse.handoff.runtime.continuator.CloudProviderRecorder;
import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.correction.CorrectionDetector;
import io.quarkiverse.handoff.runtime.correction.ErrorCorrections;
import io.quarkiverse.handoff.runtime.correction.ExplicitCorrection;
import io.quarkiverse.handoff.runtime.correction.HumorousCorrection;
import io.quarkiverse.handoff.runtime.correction.NaturalCorrection;
import io.quarkiverse.langchain4j.deployment.items.SelectedChatModelProviderBuildItem;
import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
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

    /**
     * The chat-model provider quarkus-langchain4j selected for the continuator's model (none without a provider
     * extension): the run time checks that provider's own settings to decide whether a cloud is configured.
     */
    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    SyntheticBeanBuildItem cloudProvider(List<SelectedChatModelProviderBuildItem> selected,
            HandoffBuildConfig config, CloudProviderRecorder recorder) {
        String modelName = config.continuator().modelName().orElse(NamedConfigUtil.DEFAULT_NAME);
        String provider = selected.stream().filter(item -> item.getConfigName().equals(modelName))
                .map(SelectedChatModelProviderBuildItem::getProvider).findFirst().orElse(null);
        return SyntheticBeanBuildItem.configure(CloudProvider.class).scope(Singleton.class).unremovable()
                .supplier(recorder.cloudProvider(provider, modelName)).done();
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
