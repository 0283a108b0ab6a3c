package io.quarkiverse.handoff.deployment.devui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.quarkiverse.handoff.policy.DeviceProfile;
import io.quarkiverse.handoff.runtime.config.HandoffBuildConfig;
import io.quarkiverse.handoff.runtime.config.OpenerBuildConfig;
import io.quarkiverse.handoff.runtime.observability.devui.HandoffDevUiService;
import io.quarkiverse.handoff.runtime.policy.DeviceProfiles;
import io.quarkiverse.langchain4j.deployment.items.ChatModelProviderCandidateBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.IsLocalDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import io.quarkus.runtime.metrics.MetricsFactory;

/**
 * The handoff card of the Dev UI: the opener model, the continuator, the device profiles, and a page to try a handoff
 * against the running application (through JSON-RPC).
 */
public class HandoffDevUiProcessor {

    @BuildStep(onlyIf = IsLocalDevelopment.class)
    CardPageBuildItem card(HandoffBuildConfig config, List<ChatModelProviderCandidateBuildItem> providers,
            Capabilities capabilities, Optional<MetricsCapabilityBuildItem> metrics) {
        OpenerBuildConfig opener = config.opener();
        CardPageBuildItem card = new CardPageBuildItem();
        card.addBuildTimeData("openerModel", opener.enabled() ? opener.model() + " (" + opener.modelFile() + ")"
                : "disabled (quarkus.handoff.opener.enabled=false): every handoff is cloud only");
        card.addBuildTimeData("cloudModel", config.continuator().modelName().orElse("default"));
        card.addBuildTimeData("cloudProviders",
                providers.stream().map(ChatModelProviderCandidateBuildItem::getProvider).distinct().toList());
        List<Map<String, Object>> builtIn = new ArrayList<>();
        for (DeviceProfile profile : DeviceProfiles.BUILT_IN) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", profile.name());
            row.put("modality", profile.modality().name().toLowerCase(Locale.ROOT));
            row.put("wordsPerSecond", profile.wordsPerSecond());
            builtIn.add(row);
        }
        card.addBuildTimeData("builtInProfiles", builtIn);
        Map<String, Object> observability = new LinkedHashMap<>();
        observability.put("micrometer", capabilities.isPresent(Capability.METRICS)
                && metrics.map(m -> m.metricsSupported(MetricsFactory.MICROMETER)).orElse(false));
        observability.put("opentelemetry", capabilities.isPresent(Capability.OPENTELEMETRY_TRACER));
        card.addBuildTimeData("observability", observability);

        card.addPage(Page.webComponentPageBuilder()
                .title("Try a handoff")
                .icon("font-awesome-solid:comments")
                .componentLink("qwc-handoff-try.js"));
        card.addPage(Page.webComponentPageBuilder()
                .title("Profiles and models")
                .icon("font-awesome-solid:mobile-screen")
                .componentLink("qwc-handoff-profiles.js"));
        return card;
    }

    @BuildStep(onlyIf = IsLocalDevelopment.class)
    JsonRPCProvidersBuildItem jsonRpc() {
        return new JsonRPCProvidersBuildItem(HandoffDevUiService.class);
    }
}
