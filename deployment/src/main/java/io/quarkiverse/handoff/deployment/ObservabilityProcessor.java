package io.quarkiverse.handoff.deployment;

import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkiverse.handoff.runtime.observability.GenAiModels;
import io.quarkiverse.handoff.runtime.observability.MicrometerHandoffListener;
import io.quarkiverse.handoff.runtime.observability.OpenTelemetryHandoffListener;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.runtime.metrics.MetricsFactory;

/**
 * Metrics and traces of handoffs, each only when the application has the capability: the Micrometer listener with
 * quarkus-micrometer (capability io.quarkus.metrics with Micrometer as the metrics factory), the OpenTelemetry listener with
 * quarkus-opentelemetry (tracing enabled). Without
 * them, nothing of Micrometer or OpenTelemetry is loaded.
 */
class ObservabilityProcessor {

    @BuildStep
    void metrics(Capabilities capabilities, Optional<MetricsCapabilityBuildItem> metrics,
            BuildProducer<AdditionalBeanBuildItem> beans) {
        if (micrometer(capabilities, metrics)) {
            beans.produce(AdditionalBeanBuildItem.builder().addBeanClasses(MicrometerHandoffListener.class)
                    .setUnremovable().build());
        }
    }

    @BuildStep
    void tracing(Capabilities capabilities, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (openTelemetryTracing(capabilities)) {
            beans.produce(AdditionalBeanBuildItem.builder()
                    .addBeanClasses(OpenTelemetryHandoffListener.class, GenAiModels.class)
                    .setUnremovable().build());
        }
    }

    static boolean micrometer(Capabilities capabilities, Optional<MetricsCapabilityBuildItem> metrics) {
        return capabilities.isPresent(Capability.METRICS)
                && metrics.map(m -> m.metricsSupported(MetricsFactory.MICROMETER)).orElse(false);
    }

    static boolean openTelemetryTracing(Capabilities capabilities) {
        return capabilities.isPresent(Capability.OPENTELEMETRY_TRACER)
                && enabled("quarkus.otel.enabled") && enabled("quarkus.otel.traces.enabled");
    }

    private static boolean enabled(String property) {
        return ConfigProvider.getConfig().getOptionalValue(property, Boolean.class).orElse(true);
    }
}
