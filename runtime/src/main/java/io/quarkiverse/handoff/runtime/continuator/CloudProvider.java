package io.quarkiverse.handoff.runtime.continuator;

import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;

/**
 * The quarkus-langchain4j chat-model provider that serves the continuator's model, as the build selected it
 * ({@code openai}, {@code ollama}, ...; none when the application has no provider extension), and the model's config
 * name. At run time it says whether the application configured that provider: its own {@code api-key} or
 * {@code base-url}, looked up by name, not guessed from other properties.
 *
 * @param provider the selected provider's name, as in {@code quarkus.langchain4j.<provider>.*}; null for none
 * @param modelName the model's config name ({@link NamedConfigUtil#DEFAULT_NAME} for the default model)
 */
public record CloudProvider(String provider, String modelName) {

    /** quarkus-langchain4j's placeholder api key when none is configured. */
    private static final String DUMMY_KEY = "dummy";

    /**
     * Providers whose configuration lives under another name than the provider's (read from their config roots);
     * every other provider's is {@code quarkus.langchain4j.<provider>} ({@code openai}, {@code ollama}, ...).
     */
    private static final Map<String, String> CONFIG_NAMES = Map.of("ai-gemini", "ai.gemini");

    /** The provider's property of this model: {@code quarkus.langchain4j.openai.api-key}, or with a model's name. */
    String property(String name) {
        return "quarkus.langchain4j." + CONFIG_NAMES.getOrDefault(provider, provider) + "."
                + (NamedConfigUtil.isDefault(modelName) ? "" : "\"" + modelName + "\".") + name;
    }

    /**
     * Whether the application configured the provider: an api key or a base url set by the application (not a default
     * of the provider's or the placeholder key this extension supplies so that the application starts without one).
     */
    boolean configured(Config config) {
        if (provider == null) {
            return false;
        }
        return setByApplication(config, property("api-key")) || setByApplication(config, property("base-url"));
    }

    private static boolean setByApplication(Config config, String property) {
        ConfigValue value = config.getConfigValue(property);
        String text = Optional.ofNullable(value.getValue()).map(String::strip).orElse("");
        return value.getSourceOrdinal() > 0 && !text.isEmpty() && !DUMMY_KEY.equals(text)
                && !ContinuatorProducer.PLACEHOLDER_API_KEY.equals(text);
    }
}
