package io.quarkiverse.handoff.deployment;

import java.util.List;
import java.util.Optional;

import dev.langchain4j.model.chat.StreamingChatModel;
import io.quarkiverse.handoff.OpenerStop;
import io.quarkiverse.handoff.event.ContinuationEvent;
import io.quarkiverse.handoff.event.CorrectionEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.ErrorEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.event.OpenerEvent;
import io.quarkiverse.handoff.event.PlanEvent;
import io.quarkiverse.handoff.event.Timings;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.policy.FiredRule;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPlanner;
import io.quarkiverse.handoff.policy.Sampling;
import io.quarkiverse.handoff.runtime.BackgroundStartRecorder;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkiverse.handoff.runtime.config.HandoffBuildConfig;
import io.quarkiverse.handoff.runtime.continuator.ContinuatorProducer;
import io.quarkiverse.handoff.runtime.health.OpenerReadinessCheck;
import io.quarkiverse.handoff.runtime.health.RulesReadinessCheck;
import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.langchain4j.deployment.RequestChatModelBeanBuildItem;
import io.quarkiverse.langchain4j.deployment.items.ChatModelProviderCandidateBuildItem;
import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.BeanContainerBuildItem;
import io.quarkus.arc.deployment.PreBeanContainerBuildItem;
import io.quarkus.arc.deployment.SynthesisFinishedBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.Consume;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.builditem.RuntimeConfigSetupCompleteBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.pkg.steps.NativeOrNativeSourcesBuild;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;

/**
 * The core build steps of the handoff extension: feature, beans, health and the cloud model request.
 */
class HandoffProcessor {

    static final String FEATURE = "handoff";
    static final String OPENAI = "openai";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /**
     * Registers the beans. Consuming the checked model makes the model check run in every build, so a missing model
     * fails the build instead of the first request.
     */
    @BuildStep
    AdditionalBeanBuildItem beans(Optional<OpenerModelBuildItem> checkedModel) {
        return AdditionalBeanBuildItem.builder()
                .addBeanClasses(Handoff.class, OnnxOpener.class, ContinuatorProducer.class)
                .setUnremovable()
                .build();
    }

    /**
     * What readiness waits for (the opener model, the rules' warm-up) starts as soon as the run time's configuration
     * and the beans are ready, and runs while the other extensions and the HTTP server start.
     */
    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    @Consume(RuntimeConfigSetupCompleteBuildItem.class)
    void startInBackground(BeanContainerBuildItem beans, BackgroundStartRecorder recorder) {
        recorder.start();
    }

    /**
     * ONNX Runtime's native libraries need no configuration: on the JVM they start loading in the static
     * initialization, while the JVM starts Quarkus on one core and the other is mostly idle. Not in a native image,
     * whose static initialization runs in the image build.
     */
    @BuildStep(onlyIfNot = NativeOrNativeSourcesBuild.class)
    @Record(ExecutionTime.STATIC_INIT)
    void loadOnnxRuntimeEarly(HandoffBuildConfig config, BackgroundStartRecorder recorder) {
        if (config.opener().enabled()) {
            recorder.loadOnnxRuntime();
        }
    }

    /**
     * The rules' warm-up needs no configuration either: on the JVM it starts in the static initialization too, unless
     * the application plans with a planner of its own (which may need the run time's configuration to be created, so
     * BackgroundStartRecorder#start finds out at run time whether the rules are used at all). The bean container
     * item orders it after the container's creation.
     */
    @BuildStep(onlyIfNot = NativeOrNativeSourcesBuild.class)
    @Record(ExecutionTime.STATIC_INIT)
    void warmRulesEarly(SynthesisFinishedBuildItem beans, PreBeanContainerBuildItem container,
            BackgroundStartRecorder recorder) {
        boolean ownPlanner = beans.beanStream().withBeanType(HandoffPlanner.class)
                .stream().anyMatch(bean -> !bean.isDefaultBean() && bean.hasDefaultQualifiers());
        if (!ownPlanner) {
            recorder.warmRulesEarly();
        }
    }

    @BuildStep
    void readiness(Capabilities capabilities, HandoffBuildConfig config, BuildProducer<HealthBuildItem> health) {
        if (!capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            return;
        }
        if (config.opener().enabled()) {
            health.produce(new HealthBuildItem(OpenerReadinessCheck.class.getName(), true));
        }
        health.produce(new HealthBuildItem(RulesReadinessCheck.class.getName(), true));
    }

    /** The stream events and plans are serialized to JSON by applications, also in native images. */
    @BuildStep
    ReflectiveClassBuildItem serializedTypes() {
        // HandoffEvent for its Jackson type annotations, FiredRule and CloudRequest as parts of the plan, OpenerStop
        // as part of done
        return ReflectiveClassBuildItem.builder(HandoffEvent.class, OpenerEvent.class, PlanEvent.class,
                ContinuationEvent.class, CorrectionEvent.class, DoneEvent.class, ErrorEvent.class, Timings.class,
                OpenerStop.class, HandoffPlan.class, FiredRule.class, CloudRequest.class, Sampling.class, FactClass.class)
                .methods().fields().build();
    }

    /**
     * quarkus-langchain4j creates model beans only when something asks for them; the continuator looks its model up
     * programmatically, so ask for it here, but only when a provider extension is present (the embedded continuator
     * needs none).
     */
    @BuildStep
    void requestCloudModel(List<ChatModelProviderCandidateBuildItem> providers, HandoffBuildConfig config,
            BuildProducer<RequestChatModelBeanBuildItem> requests,
            BuildProducer<UnremovableBeanBuildItem> unremovable,
            BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults) {
        if (providers.isEmpty()) {
            return;
        }
        String modelName = config.continuator().modelName().orElse(NamedConfigUtil.DEFAULT_NAME);
        requests.produce(new RequestChatModelBeanBuildItem(modelName));
        // the streaming bean of the requested model is looked up programmatically: keep it
        unremovable.produce(UnremovableBeanBuildItem.beanTypes(StreamingChatModel.class));
        if (providers.stream().anyMatch(p -> OPENAI.equals(p.getProvider()))) {
            // quarkus-langchain4j-openai refuses to start without a key; with this placeholder the application
            // starts and, seeing no cloud configured, continues replies on the device
            String prefix = NamedConfigUtil.isDefault(modelName) ? "quarkus.langchain4j.openai."
                    : "quarkus.langchain4j.openai.\"" + modelName + "\".";
            defaults.produce(
                    new RunTimeConfigurationDefaultBuildItem(prefix + "api-key", ContinuatorProducer.PLACEHOLDER_API_KEY));
        }
    }
}
