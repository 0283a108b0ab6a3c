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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
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
            ChatStream stream = OpenAiWireStream.of(OPENAI, new OpenAiEndpoint.Resolved(endpoint, null), vertx, CONFIG)
                    .orElseThrow();
            Cancellable handoff = stream.stream(List.of(UserMessage.from("Set a timer")),
                    CloudRequest.PROVIDER_DEFAULTS, PrefillFields.NONE).subscribe().with(item -> {
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
