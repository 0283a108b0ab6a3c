package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkiverse.langchain4j.openai.runtime.config.LangChain4jOpenAiConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.net.ProxyType;

/** The extension's OpenAI client takes the quarkus-langchain4j OpenAI provider's own settings (its typed configuration). */
class OpenAiEndpointTest {

    /** The provider's configuration mapping over these properties, as the application reads it. */
    static LangChain4jOpenAiConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(LangChain4jOpenAiConfig.class).withValidateUnknown(false)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build()
                .getConfigMapping(LangChain4jOpenAiConfig.class);
    }

    @Test
    void theDefaultModelTakesTheProvidersSettings() {
        OpenAiEndpoint.Resolved resolved = OpenAiEndpoint.resolve(config(Map.of(
                "quarkus.langchain4j.openai.base-url", "http://gpu-box:8000/v1",
                "quarkus.langchain4j.openai.api-key", "sk-test",
                "quarkus.langchain4j.openai.organization-id", "org-1",
                "quarkus.langchain4j.openai.timeout", "30s",
                "quarkus.langchain4j.openai.proxy-host", "proxy.local",
                "quarkus.langchain4j.openai.proxy-port", "8080",
                "quarkus.langchain4j.openai.proxy-type", "socks5")), null);

        OpenAiEndpoint endpoint = resolved.endpoint();
        assertThat(endpoint.url("chat/completions")).isEqualTo("http://gpu-box:8000/v1/chat/completions");
        assertThat(endpoint.apiKey()).isEqualTo("sk-test");
        assertThat(endpoint.organization()).hasValue("org-1");
        assertThat(endpoint.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(endpoint.proxy()).hasValueSatisfying(proxy -> {
            assertThat(proxy.getHost()).isEqualTo("proxy.local");
            assertThat(proxy.getPort()).isEqualTo(8080);
            assertThat(proxy.getType()).isEqualTo(ProxyType.SOCKS5);
        });
    }

    @Test
    void withNothingSetItIsOpenAiWithQuarkusLangchain4jsDefaults() {
        OpenAiEndpoint endpoint = OpenAiEndpoint.resolve(config(Map.of()), null).endpoint();
        assertThat(endpoint.url("chat/completions")).isEqualTo("https://api.openai.com/v1/chat/completions");
        assertThat(endpoint.apiKey()).isEqualTo("dummy");
        assertThat(endpoint.organization()).isEmpty();
        assertThat(endpoint.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(endpoint.proxy()).isEmpty();
        assertThat(OpenAiEndpoint.resolve(config(Map.of("quarkus.langchain4j.timeout", "5s")), null).endpoint()
                .connectTimeout()).as("the global timeout").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aNamedModelTakesItsOwnSettingsQuotedOrNot() {
        LangChain4jOpenAiConfig config = config(Map.of(
                "quarkus.langchain4j.openai.base-url", "http://default:1/v1/",
                "quarkus.langchain4j.openai.\"cloud\".base-url", "http://cloud:2/v1/",
                "quarkus.langchain4j.openai.edge.base-url", "http://edge:3/v1/"));
        assertThat(OpenAiEndpoint.resolve(config, "cloud").endpoint().url("x")).isEqualTo("http://cloud:2/v1/x");
        assertThat(OpenAiEndpoint.resolve(config, "edge").endpoint().url("x")).isEqualTo("http://edge:3/v1/x");
        assertThat(OpenAiEndpoint.resolve(config, null).endpoint().url("x")).isEqualTo("http://default:1/v1/x");
    }

    @Test
    void settingsOnlyTheProvidersClientAppliesAreReported() {
        OpenAiEndpoint.Resolved tls = OpenAiEndpoint.resolve(config(Map.of(
                "quarkus.langchain4j.openai.tls-configuration-name", "corporate")), null);
        assertThat(tls.endpoint()).isNull();
        assertThat(tls.unsupported()).isEqualTo("quarkus.langchain4j.openai.tls-configuration-name is set");
        assertThat(OpenAiEndpoint.resolve(config(Map.of("quarkus.langchain4j.openai.base-url", "gpu-box:8000")), null)
                .unsupported()).contains("base-url");
    }
}
