package io.quarkiverse.handoff.runtime.continuator;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.langchain4j.model.chat.StreamingChatModel;
import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.runtime.config.ContinuatorBuildConfig;
import io.quarkiverse.handoff.runtime.config.ContinuatorRuntimeConfig;
import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.arc.Arc;
import io.quarkus.arc.DefaultBean;
import io.quarkus.arc.InstanceHandle;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * Chooses the continuator: the configured cloud model of quarkus-langchain4j, or the embedded one when no cloud is
 * configured. An application replaces it by providing its own {@link Continuator} bean.
 */
public class ContinuatorProducer {

    private static final Logger LOG = Logger.getLogger(ContinuatorProducer.class);
    private static final String LANGCHAIN4J_PREFIX = "quarkus.langchain4j.";
    /** quarkus-langchain4j's placeholder api key when none is configured. */
    private static final String DUMMY_KEY = "dummy";
    /** The api key this extension defaults to, so that an application with a provider but no key still starts. */
    public static final String PLACEHOLDER_API_KEY = "handoff-no-cloud-configured";

    @Produces
    @Singleton
    @DefaultBean
    Continuator continuator(ContinuatorRuntimeConfig runtimeConfig, ContinuatorBuildConfig buildConfig,
            OnnxOpener opener) {
        ContinuatorRuntimeConfig.Provider provider = runtimeConfig.provider();
        if (provider == ContinuatorRuntimeConfig.Provider.AUTO) {
            provider = cloudConfigured(ConfigProvider.getConfig())
                    ? ContinuatorRuntimeConfig.Provider.LANGCHAIN4J
                    : ContinuatorRuntimeConfig.Provider.EMBEDDED;
        }
        if (provider == ContinuatorRuntimeConfig.Provider.EMBEDDED) {
            LOG.info("Replies are continued by the embedded on-device model: no cloud model is configured "
                    + "(set quarkus.langchain4j.<provider>.api-key or base-url, or quarkus.handoff.continuator.provider)");
            return new EmbeddedContinuator(opener);
        }
        String modelName = buildConfig.modelName().orElse(null);
        StreamingChatModel model = lookup(modelName);
        String name = modelName != null ? modelName : "default";
        LOG.infof("Replies are continued by the quarkus-langchain4j streaming chat model '%s'", name);
        return new LangChain4jContinuator(model, name, ContinuationPrompts.load());
    }

    private static StreamingChatModel lookup(String modelName) {
        InstanceHandle<StreamingChatModel> handle = modelName == null
                ? Arc.container().instance(StreamingChatModel.class)
                : Arc.container().instance(StreamingChatModel.class, ModelName.Literal.of(modelName));
        if (!handle.isAvailable()) {
            throw new IllegalStateException("quarkus.handoff.continuator.provider is langchain4j but no "
                    + "quarkus-langchain4j streaming chat model" + (modelName == null ? "" : " named '" + modelName + "'")
                    + " exists: add a provider extension such as io.quarkiverse.langchain4j:quarkus-langchain4j-openai"
                    + " and configure it, or set quarkus.handoff.continuator.provider=embedded");
        }
        return handle.get();
    }

    /** Whether the application configured a cloud provider: an api key or a base url set for it. */
    static boolean cloudConfigured(Config config) {
        for (String name : config.getPropertyNames()) {
            if (!name.startsWith(LANGCHAIN4J_PREFIX) || !(name.endsWith(".api-key") || name.endsWith(".base-url"))) {
                continue;
            }
            ConfigValue value = config.getConfigValue(name);
            boolean setByApplication = value.getSourceOrdinal() > 0;
            if (setByApplication && value.getValue() != null && !value.getValue().isBlank()
                    && !DUMMY_KEY.equals(value.getValue()) && !PLACEHOLDER_API_KEY.equals(value.getValue())) {
                return true;
            }
        }
        return false;
    }
}
