package io.quarkiverse.handoff.runtime.continuator;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;

/**
 * Where and how to reach an OpenAI-protocol server, read from the quarkus-langchain4j OpenAI provider's own
 * configuration ({@code quarkus.langchain4j.openai[."model-name"].*}): the base url, the api key, the organization, the
 * timeout (here: to connect) and the proxy.
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
    /** quarkus-langchain4j's defaults for these properties. */
    private static final String DEFAULT_BASE_URL = "https://api.openai.com/v1/";
    private static final String DEFAULT_API_KEY = "dummy";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int DEFAULT_PROXY_PORT = 3128;

    /**
     * The endpoint of the model named {@code modelName} (null: the default model), or why the extension cannot reach
     * it with its own client (a setting only the provider's client applies).
     */
    static Resolved resolve(Config config, String modelName) {
        Property property = new Property(config, modelName);
        Optional<String> tls = property.get("tls-configuration-name");
        if (tls.isPresent()) {
            return new Resolved(null, property.key("tls-configuration-name") + " is set");
        }
        String base = property.get("base-url").orElse(DEFAULT_BASE_URL).strip();
        URI url;
        try {
            url = URI.create(base.endsWith("/") ? base : base + "/");
        } catch (IllegalArgumentException e) {
            return new Resolved(null, property.key("base-url") + " is not a url");
        }
        if (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            return new Resolved(null, property.key("base-url") + " is not an http(s) url");
        }
        Duration timeout = property.get("timeout", Duration.class)
                .or(() -> config.getOptionalValue("quarkus.langchain4j.timeout", Duration.class))
                .orElse(DEFAULT_TIMEOUT);
        Optional<ProxyOptions> proxy = property.get("proxy-host").map(host -> new ProxyOptions()
                .setType(ProxyType.valueOf(property.get("proxy-type").orElse("HTTP").strip()
                        .toUpperCase(Locale.ROOT)))
                .setHost(host.strip())
                .setPort(property.get("proxy-port", Integer.class).orElse(DEFAULT_PROXY_PORT)));
        return new Resolved(new OpenAiEndpoint(url, property.get("api-key").orElse(DEFAULT_API_KEY),
                property.get("organization-id"), timeout, proxy), null);
    }

    /** The url of an API path under the base url, e.g. {@code chat/completions}. */
    String url(String path) {
        return baseUrl.resolve(path).toString();
    }

    /** The endpoint, or the reason there is none. */
    record Resolved(OpenAiEndpoint endpoint, String unsupported) {
    }

    /** The provider's properties of one model: {@code quarkus.langchain4j.openai[."name"].key}. */
    private record Property(Config config, String modelName) {
        String key(String name) {
            return modelName == null ? PREFIX + name : PREFIX + "\"" + modelName + "\"." + name;
        }

        Optional<String> get(String name) {
            return get(name, String.class).filter(v -> !v.isBlank());
        }

        <T> Optional<T> get(String name, Class<T> type) {
            Optional<T> value = config.getOptionalValue(key(name), type);
            // a model name without dots may be written unquoted
            return value.isPresent() || modelName == null ? value
                    : config.getOptionalValue(PREFIX + modelName + "." + name, type);
        }
    }
}
