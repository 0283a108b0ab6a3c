package io.quarkiverse.handoff.runtime.continuator;

import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.quarkiverse.handoff.ChatStream;
import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.runtime.config.ContinuatorRuntimeConfig;
import io.quarkiverse.handoff.runtime.config.HandoffBuildConfig;
import io.quarkiverse.handoff.runtime.config.HandoffRuntimeConfig;
import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.arc.Arc;
import io.quarkus.arc.DefaultBean;
import io.quarkus.arc.InstanceHandle;
import io.smallrye.config.SmallRyeConfig;
import io.vertx.core.Vertx;

/**
 * Chooses the continuator: the cloud continuator over the application's {@link ChatStream} bean or the configured
 * cloud model of quarkus-langchain4j, or the embedded one when there is neither. An application replaces it by
 * providing its own {@link Continuator} bean.
 */
public class ContinuatorProducer {

    private static final Logger LOG = Logger.getLogger(ContinuatorProducer.class);
    /** The api key this extension defaults to, so that an application with a provider but no key still starts. */
    public static final String PLACEHOLDER_API_KEY = "handoff-no-cloud-configured";

    @Produces
    @Singleton
    @DefaultBean
    Continuator continuator(HandoffRuntimeConfig runtimeConfig, HandoffBuildConfig buildConfig,
            CloudProvider cloudProvider, OnnxOpener opener, Vertx vertx, Instance<ChatStream> streams) {
        ContinuatorRuntimeConfig config = runtimeConfig.continuator();
        ChatStream own = applicationStream(streams);
        ContinuatorRuntimeConfig.Provider provider = config.provider();
        if (provider == ContinuatorRuntimeConfig.Provider.AUTO) {
            provider = own != null || cloudProvider.configured(ConfigProvider.getConfig())
                    ? ContinuatorRuntimeConfig.Provider.LANGCHAIN4J
                    : ContinuatorRuntimeConfig.Provider.EMBEDDED;
        }
        if (provider == ContinuatorRuntimeConfig.Provider.EMBEDDED) {
            if (own != null) {
                LOG.infof("Replies are continued by the embedded on-device model: quarkus.handoff.continuator.provider"
                        + " is embedded, so the application's chat stream %s is not used", own.getClass().getName());
            } else {
                LOG.info("Replies are continued by the embedded on-device model: no cloud model is configured (set "
                        + "quarkus.langchain4j.<provider>.api-key or base-url, or quarkus.handoff.continuator.provider)");
            }
            return new EmbeddedContinuator(opener);
        }
        if (own != null) {
            ContinuationStrategy strategy = config.strategy() != ContinuationStrategy.AUTO ? config.strategy()
                    : own.continuesAssistantMessage() ? ContinuationStrategy.PREFILL : ContinuationStrategy.INSTRUCTION;
            LOG.infof("Replies are continued through the application's chat stream %s as %s (%s strategy%s)",
                    own.getClass().getName(), own.name(), strategy.wireName(),
                    config.strategy() == ContinuationStrategy.AUTO ? ", chosen automatically" : "");
            return new LangChain4jContinuator(own, own.name(), ContinuationPrompts.load(), strategy,
                    PrefillFields.of(config));
        }
        String modelName = buildConfig.continuator().modelName().orElse(null);
        StreamingChatModel model = lookup(modelName);
        String name = continuatorName(provider(model), modelName);
        ProviderStream stream = (openAiPresent()
                ? OpenAiWireStream.of(model,
                        OpenAiEndpoint.resolve(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class), modelName),
                        vertx, config)
                : Optional.<ProviderStream> empty())
                .orElseGet(() -> new StreamingModelStream(model));
        ContinuationStrategy strategy = choose(config.strategy(), provider(model));
        LOG.infof("Replies are continued by the quarkus-langchain4j streaming chat model '%s' as %s (%s, %s strategy%s)",
                modelName != null ? modelName : "default", name, stream.describe(), strategy.wireName(),
                config.strategy() == ContinuationStrategy.AUTO ? ", chosen automatically" : "");
        if (!stream.cancelsBeforeFirstToken()) {
            LOG.infof("%s: a handoff cancelled before the model's first token cannot stop its request, which runs on "
                    + "at the provider (docs/continuator.md, Gemini)", name);
        }
        String caveat = prefillCaveat(provider(model), strategy);
        if (caveat != null) {
            LOG.warn(caveat);
        }
        return new LangChain4jContinuator(stream, name, ContinuationPrompts.load(), strategy,
                PrefillFields.of(config));
    }

    /** The application's chat stream bean, or null; more than one is refused. */
    private static ChatStream applicationStream(Instance<ChatStream> streams) {
        if (streams.isAmbiguous()) {
            throw new IllegalStateException("the application has more than one " + ChatStream.class.getName()
                    + " bean (" + streams.handlesStream().map(h -> h.getBean().getBeanClass().getName()).toList()
                    + "): keep one, or give the others a qualifier of your own");
        }
        return streams.isResolvable() ? streams.get() : null;
    }

    /**
     * How a langchain4j continuator names itself in the {@code handoff} and {@code done} events, the metrics and the
     * traces: {@code langchain4j:} and the model's provider ({@code langchain4j:openai}, {@code langchain4j:ollama},
     * {@code langchain4j:azure-openai}), then {@code :name} for a named model
     * ({@code quarkus.handoff.continuator.model-name}).
     */
    static String continuatorName(ModelProvider provider, String modelName) {
        String providerName = (provider == null ? ModelProvider.OTHER : provider).name().toLowerCase(Locale.ROOT)
                .replace("open_ai", "openai").replace('_', '-');
        return "langchain4j:" + providerName + (modelName == null ? "" : ":" + modelName);
    }

    /** Closes the cloud continuator's connections when the application stops. */
    void close(@Disposes Continuator continuator) {
        if (continuator instanceof LangChain4jContinuator cloud) {
            cloud.close();
        }
    }

    /**
     * Whether the quarkus-langchain4j OpenAI provider is there: langchain4j's OpenAI module, which it brings, and its
     * configuration, which says where the model's server is.
     */
    private static boolean openAiPresent() {
        try {
            Class.forName("dev.langchain4j.model.openai.OpenAiStreamingChatModel", false,
                    ContinuatorProducer.class.getClassLoader());
            Class.forName("io.quarkiverse.langchain4j.openai.runtime.config.LangChain4jOpenAiConfig", false,
                    ContinuatorProducer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The strategy for a provider when {@code auto}: prefill where the provider's server continues a final assistant
     * message (Ollama, Anthropic), instruction elsewhere (OpenAI answers a trailing assistant message anew instead of
     * continuing it). The provider is the configured langchain4j provider, never guessed from a server's address: an
     * OpenAI-compatible server that continues (Ollama's OpenAI endpoint, llama.cpp, vLLM) is told so by
     * {@code strategy=prefill} (and {@code prefill-parameters} where it needs them).
     */
    static ContinuationStrategy choose(ContinuationStrategy configured, ModelProvider provider) {
        if (configured != ContinuationStrategy.AUTO) {
            return configured;
        }
        if (provider == ModelProvider.OLLAMA || provider == ModelProvider.ANTHROPIC
                || provider == ModelProvider.GOOGLE_VERTEX_AI_ANTHROPIC) {
            return ContinuationStrategy.PREFILL;
        }
        return ContinuationStrategy.INSTRUCTION;
    }

    /**
     * Why a prefill will not work with this provider, or null: langchain4j's own Mistral client has no way to mark the
     * final assistant message as a prefix, and Mistral answers an unmarked one anew; Mistral's OpenAI-compatible
     * endpoint, reached with the OpenAI provider, can ({@code prefill-message-fields.prefix=true}).
     */
    static String prefillCaveat(ModelProvider provider, ContinuationStrategy strategy) {
        if (provider != ModelProvider.MISTRAL_AI || strategy != ContinuationStrategy.PREFILL) {
            return null;
        }
        return "quarkus.handoff.continuator.strategy is prefill but the quarkus-langchain4j Mistral provider cannot "
                + "mark the opener as the assistant's prefix, so Mistral answers it anew: reach Mistral with "
                + "quarkus-langchain4j-openai (quarkus.langchain4j.openai.base-url=https://api.mistral.ai/v1) and set "
                + "quarkus.handoff.continuator.prefill-message-fields.prefix=true, or use strategy=instruction";
    }

    private static ModelProvider provider(StreamingChatModel model) {
        try {
            return model.provider();
        } catch (RuntimeException e) {
            return ModelProvider.OTHER;
        }
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
}
