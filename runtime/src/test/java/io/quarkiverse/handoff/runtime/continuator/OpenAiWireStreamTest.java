package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.ChatStreamRequest;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;

/**
 * Which OpenAI-protocol models the extension streams from with its own client, and which through the portable API;
 * and a request cancelled while its connection is still being opened.
 */
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

    static final OpenAiStreamingChatModel OPENAI = OpenAiTestServer.model().apiKey("test")
            .baseUrl("http://127.0.0.1:9/v1").modelName("test").build();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    /** The endpoint at this base url, with the provider's other defaults ({@link OpenAiEndpointTest} resolves them). */
    static OpenAiEndpoint.Resolved resolved(String baseUrl, String apiKey) {
        return new OpenAiEndpoint.Resolved(new OpenAiEndpoint(URI.create(baseUrl), apiKey, Optional.empty(),
                Duration.ofSeconds(10), Optional.empty()), null);
    }

    static OpenAiEndpoint.Resolved openAi() {
        return resolved("https://api.openai.com/v1/", "dummy");
    }

    @Test
    void anOpenAiModelIsStreamedWithTheExtensionsOwnClient() {
        ProviderStream stream = OpenAiWireStream.of(OPENAI, openAi(), vertx, CONFIG).orElseThrow();
        assertThat(stream.cancelsBeforeFirstToken()).isTrue();
        stream.close();
    }

    @Test
    void aSettingOnlyTheProvidersClientAppliesLeavesItToThePortableApi() {
        assertThat(OpenAiWireStream.of(OPENAI, new OpenAiEndpoint.Resolved(null,
                "quarkus.langchain4j.openai.tls-configuration-name is set"), vertx, CONFIG)).isEmpty();
    }

    @Test
    void aModelWithWhatTheExtensionDoesNotWriteIsLeftToThePortableApi() {
        OpenAiStreamingChatModel tools = OpenAiTestServer.model().apiKey("test")
                .baseUrl("http://127.0.0.1:9/v1").modelName("test")
                .defaultRequestParameters(ChatRequestParameters.builder()
                        .toolSpecifications(ToolSpecification.builder().name("clock").build()).build())
                .build();
        assertThat(OpenAiWireStream.of(tools, openAi(), vertx, CONFIG)).isEmpty();
        OpenAiStreamingChatModel schema = OpenAiTestServer.model().apiKey("test")
                .baseUrl("http://127.0.0.1:9/v1").modelName("test")
                .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(JsonSchema.builder()
                        .name("reply").rootElement(JsonObjectSchema.builder().addStringProperty("text").build())
                        .build()).build())
                .build();
        assertThat(OpenAiWireStream.of(schema, openAi(), vertx, CONFIG)).isEmpty();
        OpenAiStreamingChatModel jsonObject = OpenAiTestServer.model().apiKey("test")
                .baseUrl("http://127.0.0.1:9/v1").modelName("test").responseFormat("json_object").build();
        assertThat(OpenAiWireStream.of(jsonObject, openAi(), vertx, CONFIG)).isPresent()
                .hasValueSatisfying(ProviderStream::close);
    }

    @Test
    void anotherKindOfModelIsLeftToThePortableApi() {
        StreamingChatModel other = (StreamingChatModel) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { StreamingChatModel.class }, (proxy, method, args) -> null);
        assertThat(OpenAiWireStream.of(other, openAi(), vertx, CONFIG)).isEmpty();
    }

    /**
     * A handoff that goes away while the connection to the cloud is still being opened (here: a SOCKS proxy holds the
     * handshake) sends nothing on it: the connection is closed unused as soon as it opens.
     */
    @Test
    void aRequestCancelledWhileItsConnectionOpensClosesTheConnectionUnused() throws Exception {
        // the cloud: a plain TCP server that counts connections, the bytes sent on them, and their ends
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger bytes = new AtomicInteger();
        try (ServerSocket cloud = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                HeldSocksProxy proxy = new HeldSocksProxy()) {
            Thread server = new Thread(() -> {
                try (Socket connection = cloud.accept()) {
                    opened.incrementAndGet();
                    for (int n; (n = connection.getInputStream().read()) >= 0;) {
                        bytes.incrementAndGet();
                    }
                    ended.incrementAndGet();
                } catch (IOException e) {
                    ended.incrementAndGet(); // reset by the peer: ended too
                }
            }, "test-cloud");
            server.setDaemon(true);
            server.start();
            OpenAiEndpoint endpoint = new OpenAiEndpoint(URI.create("http://127.0.0.1:" + cloud.getLocalPort() + "/v1/"),
                    "test", Optional.empty(), Duration.ofSeconds(10), Optional.of(new ProxyOptions()
                            .setType(ProxyType.SOCKS5).setHost("127.0.0.1").setPort(proxy.port())));
            ProviderStream stream = OpenAiWireStream.of(OPENAI, new OpenAiEndpoint.Resolved(endpoint, null), vertx, CONFIG)
                    .orElseThrow();
            Cancellable handoff = stream.stream(new ChatStreamRequest(List.of(ChatMessage.user("Set a timer")),
                    CloudRequest.PROVIDER_DEFAULTS)).subscribe().with(item -> {
                    }, failure -> {
                    });
            assertThat(proxy.awaitGreeting(10_000)).as("the connection is being opened").isTrue();
            handoff.cancel();
            proxy.release();

            await().atMost(Duration.ofSeconds(10)).until(() -> opened.get() == 1);
            await("the connection closed within 1 s of opening").atMost(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(10)).until(() -> ended.get() == 1);
            assertThat(bytes).as("nothing was sent on it").hasValue(0);
            stream.close();
        }
    }
}
