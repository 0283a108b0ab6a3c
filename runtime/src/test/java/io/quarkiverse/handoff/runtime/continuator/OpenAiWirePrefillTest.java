package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.langchain4j.model.ModelProvider;
import io.quarkiverse.handoff.ContinuationRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * A prefill request's own fields over the OpenAI protocol, against a real HTTP server on 127.0.0.1 that records every
 * request body: Mistral's {@code "prefix": true} on the prefilled assistant message
 * ({@code prefill-message-fields.prefix=true}), and nothing of it without the setting.
 */
class OpenAiWirePrefillTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiTestServer server;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new OpenAiTestServer(this::answer);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void answer(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            try {
                bodies.add(JSON.readTree(body.getBytes()));
            } catch (IOException e) {
                request.response().setStatusCode(400).end();
                return;
            }
            request.response().putHeader("Content-Type", "text/event-stream")
                    .end("data: {\"choices\":[{\"delta\":{\"content\":\" Ada\"}}]}\n\n"
                            + "data: {\"choices\":[{\"delta\":{\"content\":\".\"},\"finish_reason\":\"stop\"}]}\n\n"
                            + "data: [DONE]\n\n");
        });
    }

    /** The continuator configuration with these prefill fields (the rest as by default). */
    static CloudContinuationConfig config(Map<String, String> parameters, Map<String, String> messageFields) {
        return (CloudContinuationConfig) Proxy.newProxyInstance(OpenAiWirePrefillTest.class.getClassLoader(),
                new Class<?>[] { CloudContinuationConfig.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "prefillParameters" -> parameters;
                    case "prefillMessageFields" -> messageFields;
                    default -> method.invoke(OpenAiWireStreamTest.CONFIG, args);
                });
    }

    /** What the user gets for the request, through the extension's own OpenAI client to the recording server. */
    private List<String> continueReply(ContinuationStrategy strategy, CloudContinuationConfig config,
            ContinuationRequest request) {
        ProviderStream stream = server.stream(OpenAiWireStreamTest.OPENAI, config);
        LangChain4jContinuator continuator = new LangChain4jContinuator(stream, "test", ContinuationPrompts.load(),
                strategy, PrefillFields.of(config));
        try {
            return continuator.continueReply(request).collect().asList().await().atMost(Duration.ofSeconds(10));
        } finally {
            continuator.close();
        }
    }

    private static JsonNode lastMessage(JsonNode body) {
        JsonNode messages = body.get("messages");
        return messages.get(messages.size() - 1);
    }

    @Test
    void mistralsPrefixMarksThePrefilledAssistantMessageAndNothingElseChanges() {
        CloudContinuationConfig mistral = config(Map.of(), Map.of("prefix", "true"));
        assertThat(continueReply(ContinuationStrategy.PREFILL, mistral, LangChain4jContinuatorTest.REQUEST))
                .as("the continuation streams as usual").containsExactly(" Ada", ".");
        assertThat(continueReply(ContinuationStrategy.PREFILL, config(Map.of(), Map.of()),
                LangChain4jContinuatorTest.REQUEST)).containsExactly(" Ada", ".");

        assertThat(bodies).hasSize(2);
        JsonNode marked = bodies.get(0);
        JsonNode plain = bodies.get(1);
        assertThat(lastMessage(marked)).as("the opener, marked as the prefix Mistral continues")
                .isEqualTo(JSON.createObjectNode().put("role", "assistant").put("content", "Your name is")
                        .put("prefix", true));
        assertThat(lastMessage(plain)).isEqualTo(JSON.createObjectNode().put("role", "assistant")
                .put("content", "Your name is"));
        ObjectNode withoutPrefix = marked.deepCopy();
        ((ObjectNode) lastMessage(withoutPrefix)).remove("prefix");
        assertThat(withoutPrefix).as("the rest of the request is the same").isEqualTo(plain);
        assertThat(plain.toString()).as("no prefix field without the setting").doesNotContain("\"prefix\"");
        assertThat(marked.get("messages").size()).isEqualTo(5);
        for (int i = 0; i < 4; i++) {
            assertThat(marked.get("messages").get(i).has("prefix")).as("message %d", i).isFalse();
        }
    }

    @Test
    void bodyParametersAndMessageFieldsGoTogetherTyped() {
        CloudContinuationConfig both = config(Map.of("continue_final_message", "true"),
                Map.of("prefix", "true", "name", "handoff"));
        continueReply(ContinuationStrategy.PREFILL, both, LangChain4jContinuatorTest.REQUEST);
        JsonNode body = bodies.get(0);
        assertThat(body.get("continue_final_message").isBoolean()).isTrue();
        assertThat(lastMessage(body).get("prefix").isBoolean()).isTrue();
        assertThat(lastMessage(body).get("name").textValue()).isEqualTo("handoff");
        assertThat(lastMessage(body).has("continue_final_message")).isFalse();
    }

    @Test
    void noPrefixWithoutAnAssistantMessageToContinue() {
        CloudContinuationConfig mistral = config(Map.of(), Map.of("prefix", "true"));
        ContinuationRequest nothingSaid = new ContinuationRequest(LangChain4jContinuatorTest.HISTORY, " ",
                LangChain4jContinuatorTest.PLAN, Optional.empty());
        assertThat(continueReply(ContinuationStrategy.PREFILL, mistral, nothingSaid)).containsExactly(" Ada", ".");
        assertThat(continueReply(ContinuationStrategy.INSTRUCTION, mistral, LangChain4jContinuatorTest.REQUEST))
                .containsExactly(" Ada", ".");
        assertThat(bodies).hasSize(2).allSatisfy(body -> {
            assertThat(body.toString()).doesNotContain("\"prefix\"");
            assertThat(lastMessage(body).get("role").textValue()).isEqualTo("user");
        });
    }

    @Test
    void aMessageFieldThatWouldReplaceTheOpenerIsRefused() {
        assertThatThrownBy(() -> PrefillFields.of(config(Map.of(), Map.of("content", "x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quarkus.handoff.continuator.prefill-message-fields.content would replace the opener's "
                        + "own 'content' in the prefilled assistant message: remove it (the property adds fields to "
                        + "that message, e.g. prefill-message-fields.prefix=true)");
        assertThatThrownBy(() -> PrefillFields.of(config(Map.of(), Map.of("role", "user"))))
                .hasMessageStartingWith("quarkus.handoff.continuator.prefill-message-fields.role would replace");
    }

    @Test
    void aBodyFieldThatWouldReplaceTheConversationModelOrStreamingIsRefused() {
        assertThatThrownBy(() -> PrefillFields.of(config(Map.of("messages", "[]"), Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quarkus.handoff.continuator.prefill-parameters.messages would replace the request's own "
                        + "'messages': remove it (the property adds fields to the request body, e.g. "
                        + "prefill-parameters.continue_final_message=true; the model is configured on its "
                        + "quarkus-langchain4j provider)");
        assertThatThrownBy(() -> PrefillFields.of(config(Map.of("model", "other"), Map.of())))
                .hasMessageStartingWith("quarkus.handoff.continuator.prefill-parameters.model would replace");
        assertThatThrownBy(() -> PrefillFields.of(config(Map.of("stream", "false"), Map.of())))
                .hasMessageStartingWith("quarkus.handoff.continuator.prefill-parameters.stream would replace");
        assertThat(PrefillFields.of(config(Map.of("continue_final_message", "true"), Map.of())).parameters())
                .containsEntry("continue_final_message", true);
    }

    @Test
    void langchain4jsMistralProviderIsToldItCannotPrefill() {
        assertThat(ContinuatorProducer.prefillCaveat(ModelProvider.MISTRAL_AI, ContinuationStrategy.PREFILL))
                .contains("https://api.mistral.ai/v1").contains("prefill-message-fields.prefix=true");
        assertThat(ContinuatorProducer.prefillCaveat(ModelProvider.MISTRAL_AI, ContinuationStrategy.INSTRUCTION))
                .isNull();
        assertThat(ContinuatorProducer.prefillCaveat(ModelProvider.OPEN_AI, ContinuationStrategy.PREFILL)).isNull();
    }
}
