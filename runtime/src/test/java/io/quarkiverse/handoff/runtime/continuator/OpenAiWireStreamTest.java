package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.vertx.core.Vertx;

/** Which OpenAI-protocol models the extension streams from with its own client, and which through the portable API. */
class OpenAiWireStreamTest {

    static Vertx vertx;

    /** The defaults of {@link CloudContinuationConfig}, as far as the wire stream reads them. */
    static final CloudContinuationConfig CONFIG = (CloudContinuationConfig) Proxy.newProxyInstance(
            OpenAiWireStreamTest.class.getClassLoader(), new Class<?>[] { CloudContinuationConfig.class },
            (proxy, method, args) -> switch (method.getName()) {
                case "prewarm" -> true;
                case "prewarmRequest" -> CloudContinuationConfig.PrewarmRequest.HEAD;
                case "prewarmAfterIdle" -> Duration.ofSeconds(20);
                case "idleTimeout" -> Duration.ofSeconds(10);
                default -> throw new UnsupportedOperationException(method.getName());
            });

    static final OpenAiStreamingChatModel OPENAI = OpenAiStreamingChatModel.builder().apiKey("test")
            .baseUrl("http://127.0.0.1:9/v1").modelName("test").build();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    static OpenAiEndpoint.Resolved resolved(Map<String, String> properties) {
        return OpenAiEndpoint.resolve(OpenAiEndpointTest.config(properties), null);
    }

    @Test
    void anOpenAiModelIsStreamedWithTheExtensionsOwnClient() {
        ChatStream stream = OpenAiWireStream.of(OPENAI, resolved(Map.of()), vertx, CONFIG).orElseThrow();
        assertThat(stream.cancelsBeforeFirstToken()).isTrue();
        stream.close();
    }

    @Test
    void aSettingOnlyTheProvidersClientAppliesLeavesItToThePortableApi() {
        assertThat(OpenAiWireStream.of(OPENAI, resolved(Map.of(
                "quarkus.langchain4j.openai.tls-configuration-name", "corporate")), vertx, CONFIG)).isEmpty();
    }

    @Test
    void anotherKindOfModelIsLeftToThePortableApi() {
        StreamingChatModel other = (StreamingChatModel) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { StreamingChatModel.class }, (proxy, method, args) -> null);
        assertThat(OpenAiWireStream.of(other, resolved(Map.of()), vertx, CONFIG)).isEmpty();
    }
}
