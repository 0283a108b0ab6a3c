package io.quarkiverse.handoff.runtime.continuator;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.runtime.config.ContinuatorBuildConfig;
import io.quarkiverse.handoff.runtime.config.ContinuatorRuntimeConfig;
import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.arc.Arc;
import io.quarkus.arc.DefaultBean;
import io.quarkus.arc.InstanceHandle;
import io.vertx.core.Vertx;
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
            CloudContinuationConfig cloudConfig, OnnxOpener opener, Vertx vertx) {
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
        ChatStream stream = (openAiPresent()
                ? OpenAiWireStream.of(model, OpenAiEndpoint.resolve(ConfigProvider.getConfig(), modelName), vertx,
                        cloudConfig)
                : java.util.Optional.<ChatStream> empty())
                .orElseGet(() -> new StreamingModelStream(model));
        String baseUrl = baseUrl(ConfigProvider.getConfig(), modelName);
        ContinuationStrategy strategy = choose(cloudConfig.strategy(), provider(model), baseUrl);
        LOG.infof("Replies are continued by the quarkus-langchain4j streaming chat model '%s' (%s, %s strategy%s)",
                name, stream.describe(), strategy.wireName(),
                cloudConfig.strategy() == ContinuationStrategy.AUTO ? ", chosen automatically" : "");
        return new LangChain4jContinuator(stream, name, ContinuationPrompts.load(), strategy,
                LangChain4jContinuator.typed(cloudConfig.prefillParameters()));
    }

    /** Closes the cloud continuator's connections when the application stops. */
    void close(@Disposes Continuator continuator) {
        if (continuator instanceof LangChain4jContinuator cloud) {
            cloud.close();
        }
    }

    /** Whether langchain4j's OpenAI module is on the classpath (it comes with quarkus-langchain4j-openai). */
    private static boolean openAiPresent() {
        try {
            Class.forName("dev.langchain4j.model.openai.OpenAiStreamingChatModel", false,
                    ContinuatorProducer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The strategy for a provider when {@code auto}: prefill where the server continues a final assistant message
     * (Ollama natively and on its OpenAI-compatible endpoint, Anthropic), instruction elsewhere (OpenAI answers a
     * trailing assistant message anew instead of continuing it; other OpenAI-compatible servers need
     * {@code prefill-parameters} and an explicit {@code strategy=prefill}).
     */
    static ContinuationStrategy choose(ContinuationStrategy configured, ModelProvider provider, String baseUrl) {
        if (configured != ContinuationStrategy.AUTO) {
            return configured;
        }
        if (provider == ModelProvider.OLLAMA || provider == ModelProvider.ANTHROPIC
                || provider == ModelProvider.GOOGLE_VERTEX_AI_ANTHROPIC) {
            return ContinuationStrategy.PREFILL;
        }
        if (baseUrl != null && looksLikeOllama(baseUrl)) {
            return ContinuationStrategy.PREFILL;
        }
        return ContinuationStrategy.INSTRUCTION;
    }

    static boolean looksLikeOllama(String baseUrl) {
        try {
            java.net.URI uri = java.net.URI.create(baseUrl.strip());
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
            return uri.getPort() == 11434 || host.contains("ollama");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ModelProvider provider(StreamingChatModel model) {
        try {
            return model.provider();
        } catch (RuntimeException e) {
            return ModelProvider.OTHER;
        }
    }

    /** The configured base url of the model, for the providers whose config has one. */
    static String baseUrl(Config config, String modelName) {
        for (String provider : new String[] { "openai", "ollama", "mistralai", "azure-openai" }) {
            String key = modelName == null ? LANGCHAIN4J_PREFIX + provider + ".base-url"
                    : LANGCHAIN4J_PREFIX + provider + ".\"" + modelName + "\".base-url";
            java.util.Optional<String> value = config.getOptionalValue(key, String.class);
            if (value.isPresent()) {
                return value.get();
            }
        }
        return null;
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
