package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A cloud is configured when the application set the selected provider's own api key or base url. */
class CloudProviderTest {

    /** The application's properties, and the defaults the extensions supply (which configure nothing). */
    private static Config config(Map<String, String> application) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(application, "application.properties", 250))
                .withDefaultValue("quarkus.langchain4j.openai.api-key", ContinuatorProducer.PLACEHOLDER_API_KEY)
                .withDefaultValue("quarkus.langchain4j.ollama.base-url", "http://localhost:11434")
                .build();
    }

    private static final CloudProvider OPENAI = new CloudProvider("openai", NamedConfigUtil.DEFAULT_NAME);

    @Test
    void theSelectedProvidersKeyOrBaseUrlSetByTheApplicationConfiguresIt() {
        assertThat(OPENAI.configured(config(Map.of("quarkus.langchain4j.openai.api-key", "sk-1")))).isTrue();
        assertThat(OPENAI.configured(config(Map.of("quarkus.langchain4j.openai.base-url", "http://127.0.0.1:1/v1"))))
                .isTrue();
    }

    @Test
    void defaultsPlaceholdersAndOtherProvidersConfigureNothing() {
        assertThat(OPENAI.configured(config(Map.of()))).as("only the extension's placeholder key").isFalse();
        assertThat(OPENAI.configured(config(Map.of("quarkus.langchain4j.openai.api-key", "dummy")))).isFalse();
        assertThat(OPENAI.configured(config(Map.of("quarkus.langchain4j.openai.api-key", " ")))).isFalse();
        assertThat(OPENAI.configured(config(Map.of("quarkus.langchain4j.mistralai.api-key", "k"))))
                .as("another provider's key").isFalse();
        assertThat(new CloudProvider("ollama", NamedConfigUtil.DEFAULT_NAME).configured(config(Map.of())))
                .as("the provider's own default base url").isFalse();
        assertThat(new CloudProvider(null, NamedConfigUtil.DEFAULT_NAME)
                .configured(config(Map.of("quarkus.langchain4j.openai.api-key", "sk-1"))))
                .as("no provider extension").isFalse();
    }

    @Test
    void aProviderWhoseConfigurationHasAnotherNameIsLookedUpThere() {
        CloudProvider gemini = new CloudProvider("ai-gemini", NamedConfigUtil.DEFAULT_NAME);
        assertThat(gemini.property("api-key")).isEqualTo("quarkus.langchain4j.ai.gemini.api-key");
        assertThat(gemini.configured(config(Map.of("quarkus.langchain4j.ai.gemini.api-key", "g-1")))).isTrue();
    }

    @Test
    void aNamedModelIsConfiguredUnderItsName() {
        CloudProvider fast = new CloudProvider("openai", "fast");
        assertThat(fast.property("api-key")).isEqualTo("quarkus.langchain4j.openai.\"fast\".api-key");
        assertThat(fast.configured(config(Map.of("quarkus.langchain4j.openai.\"fast\".api-key", "sk-1")))).isTrue();
        assertThat(fast.configured(config(Map.of("quarkus.langchain4j.openai.api-key", "sk-1"))))
                .as("the default model's key").isFalse();
    }
}
