package io.quarkiverse.handoff.runtime.observability;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.quarkiverse.handoff.Opener;
import io.quarkiverse.handoff.runtime.config.ContinuatorBuildConfig;
import io.quarkiverse.handoff.runtime.config.HandoffBuildConfig;
import io.quarkiverse.handoff.runtime.continuator.EmbeddedContinuator;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;

/**
 * Names the models of a handoff the way the OpenTelemetry GenAI conventions do: {@code gen_ai.system} and
 * {@code gen_ai.request.model}. The cloud model is described from the quarkus-langchain4j streaming chat model bean
 * (its provider and default model name), looked up once per continuator name.
 */
@Singleton
public class GenAiModels {

    private static final Logger LOG = Logger.getLogger(GenAiModels.class);

    /** {@code gen_ai.system} when the on-device model writes the whole reply. */
    public static final String ON_DEVICE_SYSTEM = "onnxruntime";

    /** How a handoff's continuation is described in telemetry. */
    public record Model(String system, String requestModel) {
    }

    private final Opener opener;
    private final ContinuatorBuildConfig continuatorConfig;
    private final Map<String, Model> described = new ConcurrentHashMap<>();

    @Inject
    public GenAiModels(Opener opener, HandoffBuildConfig buildConfig) {
        this.opener = opener;
        this.continuatorConfig = buildConfig.continuator();
    }

    /** The opener model's short name: the last segment of its directory, e.g. {@code demo-model}. */
    public String openerModel() {
        return shortName(opener.name());
    }

    /** The model that continued the reply for a continuator name as reported in the handoff event. */
    public Model describe(String continuator) {
        String key = continuator == null ? "" : continuator;
        return described.computeIfAbsent(key, this::lookup);
    }

    private Model lookup(String continuator) {
        if (continuator.isEmpty() || EmbeddedContinuator.NAME.equals(continuator)) {
            return new Model(ON_DEVICE_SYSTEM, openerModel());
        }
        String modelName = continuatorConfig.modelName().orElse(null);
        try {
            InstanceHandle<StreamingChatModel> handle = modelName == null
                    ? Arc.container().instance(StreamingChatModel.class)
                    : Arc.container().instance(StreamingChatModel.class, ModelName.Literal.of(modelName));
            if (handle.isAvailable()) {
                StreamingChatModel model = handle.get();
                String name = model.defaultRequestParameters() != null
                        ? model.defaultRequestParameters().modelName()
                        : null;
                return new Model(system(model.provider()), name != null ? name : continuator);
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "Cannot describe the continuator model %s", continuator);
        }
        // a continuator bean of the application: report it as it names itself
        return new Model(continuator, continuator);
    }

    /** The well-known {@code gen_ai.system} values of the GenAI semantic conventions, where one exists. */
    static String system(ModelProvider provider) {
        if (provider == null) {
            return "_OTHER";
        }
        return switch (provider) {
            case OPEN_AI -> "openai";
            case AZURE_OPEN_AI -> "az.ai.openai";
            case ANTHROPIC -> "anthropic";
            case AMAZON_BEDROCK -> "aws.bedrock";
            case GOOGLE_AI_GEMINI -> "gemini";
            case GOOGLE_VERTEX_AI_GEMINI, GOOGLE_VERTEX_AI_ANTHROPIC -> "vertex_ai";
            case MISTRAL_AI -> "mistral_ai";
            case OLLAMA -> "ollama";
            case WATSONX -> "ibm.watsonx.ai";
            case OTHER -> "_OTHER";
            default -> provider.name().toLowerCase(Locale.ROOT);
        };
    }

    static String shortName(String model) {
        if (model == null) {
            return "unknown";
        }
        String name = model.startsWith("classpath:") ? model.substring("classpath:".length()) : model;
        name = name.replace('\\', '/');
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        int slash = name.lastIndexOf('/');
        return slash >= 0 ? name.substring(slash + 1) : name;
    }
}
