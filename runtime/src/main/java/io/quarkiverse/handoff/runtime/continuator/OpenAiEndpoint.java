package io.quarkiverse.handoff.runtime.continuator;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.quarkiverse.langchain4j.openai.runtime.config.LangChain4jOpenAiConfig;
import io.quarkiverse.langchain4j.openai.runtime.config.LangChain4jOpenAiConfig.OpenAiConfig;
import io.smallrye.config.SmallRyeConfig;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;

/**
 * Where and how to reach an OpenAI-protocol server, from the quarkus-langchain4j OpenAI provider's own configuration
 * ({@link LangChain4jOpenAiConfig}: {@code quarkus.langchain4j.openai[."model-name"].*}, with its defaults): the base
 * url, the api key, the organization, the timeout (here: to connect) and the proxy.
 *
 * @param baseUrl the base url, ending with {@code /}
 * @param apiKey sent as {@code Authorization: Bearer ...}
 * @param organization sent as {@code OpenAI-Organization}, when set
 * @param connectTimeout how long opening a connection may take
 * @param proxy the proxy to connect through, when set
 */
record OpenAiEndpoint(URI baseUrl, String apiKey, Optional<String> organization, Duration connectTimeout,
        Optional<ProxyOptions> proxy) {

    private static final String PREFIX = "quarkus.langchain4j.openai.";
    /** quarkus-langchain4j's own default, which its OpenAI models apply when no timeout is configured. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The endpoint of the model named {@code modelName} (null: the default model), or why the extension cannot reach
     * it with its own client (a setting only the provider's client applies); from the application's configuration,
     * which holds the provider's mapping whenever the provider is there.
     */
    static Resolved resolve(SmallRyeConfig config, String modelName) {
        return resolve(config.getConfigMapping(LangChain4jOpenAiConfig.class), modelName);
    }

    /** The endpoint of the model named {@code modelName} (null: the default model) in the provider's configuration. */
    static Resolved resolve(LangChain4jOpenAiConfig openAi, String modelName) {
        // a named model's settings default to the provider's defaults, as for quarkus-langchain4j's own client
        OpenAiConfig model = modelName == null ? openAi.defaultConfig() : openAi.namedConfig().get(modelName);
        if (model.tlsConfigurationName().isPresent()) {
            return new Resolved(null, key(modelName, "tls-configuration-name") + " is set");
        }
        String base = model.baseUrl().strip();
        URI url;
        try {
            url = URI.create(base.endsWith("/") ? base : base + "/");
        } catch (IllegalArgumentException e) {
            return new Resolved(null, key(modelName, "base-url") + " is not a url");
        }
        if (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            return new Resolved(null, key(modelName, "base-url") + " is not an http(s) url");
        }
        // the provider's timeout defaults to quarkus.langchain4j.timeout, then to the models' own default
        Duration timeout = model.timeout().orElse(DEFAULT_TIMEOUT);
        Optional<ProxyOptions> proxy = model.proxyHost().filter(host -> !host.isBlank())
                .map(host -> new ProxyOptions()
                        .setType(ProxyType.valueOf(model.proxyType().strip().toUpperCase(Locale.ROOT)))
                        .setHost(host.strip())
                        .setPort(model.proxyPort()));
        return new Resolved(new OpenAiEndpoint(url, model.apiKey(), model.organizationId().filter(o -> !o.isBlank()),
                timeout, proxy), null);
    }

    /** The url of an API path under the base url, e.g. {@code chat/completions}. */
    String url(String path) {
        return baseUrl.resolve(path).toString();
    }

    /** The endpoint, or the reason there is none. */
    record Resolved(OpenAiEndpoint endpoint, String unsupported) {
    }

    /** The provider's property of one model, as its messages name it: {@code quarkus.langchain4j.openai[."name"].key}. */
    private static String key(String modelName, String name) {
        return modelName == null ? PREFIX + name : PREFIX + "\"" + modelName + "\"." + name;
    }
}
