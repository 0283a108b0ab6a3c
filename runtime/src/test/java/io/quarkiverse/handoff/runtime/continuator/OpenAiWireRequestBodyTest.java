package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
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

import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * The OpenAI chat-completions body the extension writes itself, field by field, against a real HTTP server on
 * 127.0.0.1 that records it: the model's configured parameters (every one the OpenAI provider can hold), the plan's
 * shape over them, the messages, {@code "stream": true} and a prefill's own fields (its body fields beside the model's
 * own custom parameters, which they do not replace). The expected bodies are what langchain4j's own request mapping
 * wrote for the same request.
 */
class OpenAiWireRequestBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiTestServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();

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
            bodies.add(body.toString());
            request.response().putHeader("Content-Type", "text/event-stream")
                    .end("data: {\"choices\":[{\"delta\":{\"content\":\" Ada.\"},\"finish_reason\":\"stop\"}]}\n\n"
                            + "data: [DONE]\n\n");
        });
    }

    private JsonNode sent(OpenAiStreamingChatModel model, ContinuationStrategy strategy, PrefillFields prefill,
            ContinuationRequest request) throws IOException {
        OpenAiWireStream stream = server.stream(model, OpenAiWireStreamTest.CONFIG);
        LangChain4jContinuator continuator = new LangChain4jContinuator(stream, "test", ContinuationPrompts.load(),
                strategy, prefill);
        try {
            assertThat(continuator.continueReply(request).collect().asList().await().atMost(Duration.ofSeconds(10)))
                    .containsExactly(" Ada.");
        } finally {
            continuator.close();
        }
        return JSON.readTree(bodies.get(bodies.size() - 1));
    }

    @Test
    void aModelWithNothingButItsNameSendsTheMessagesAndStream() throws IOException {
        // and asks for the usage report, as langchain4j's streaming client does
        OpenAiStreamingChatModel model = OpenAiTestServer.model().apiKey("test")
                .baseUrl("http://127.0.0.1:9/v1").modelName("gpt-test").build();
        JsonNode body = sent(model, ContinuationStrategy.INSTRUCTION, PrefillFields.NONE,
                LangChain4jContinuatorTest.REQUEST);
        JsonNode messages = body.get("messages");
        String question = messages.get(3).get("content").textValue();
        assertThat(question).contains("What is my name?").contains("\"Your name is\"");
        ObjectNode expected = JSON.createObjectNode().put("model", "gpt-test");
        expected.putArray("messages")
                .add(JSON.createObjectNode().put("role", "system").put("content", messages.get(0).get("content").textValue()))
                .add(JSON.createObjectNode().put("role", "user").put("content", "My name is Ada."))
                .add(JSON.createObjectNode().put("role", "assistant").put("content", "Nice to meet you, Ada."))
                .add(JSON.createObjectNode().put("role", "user").put("content", question));
        expected.put("stream", true);
        expected.putObject("stream_options").put("include_usage", true);
        assertThat(body).isEqualTo(expected);
        assertThat(bodies.get(0)).as("the fields in the order langchain4j's mapping wrote them")
                .startsWith("{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"system\",\"content\":")
                .endsWith("}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    }

    /**
     * A model configured with {@code max_completion_tokens} gets the plan's limit there and no {@code max_tokens}
     * (OpenAI's reasoning models refuse it); any other gets it as {@code max_tokens}.
     */
    @Test
    void everyConfiguredParameterGoesOutWithThePlansShapeOverItAndThePrefillsFields() throws IOException {
        OpenAiStreamingChatModel model = OpenAiTestServer.model().apiKey("test")
                .baseUrl("http://127.0.0.1:9/v1").modelName("gpt-test")
                .temperature(1.1).topP(0.9).stop(List.of("END")).maxTokens(500).maxCompletionTokens(600)
                .presencePenalty(0.0).frequencyPenalty(0.5).logitBias(Map.of("50256", -100)).responseFormat("json_object")
                .seed(7).user("device-1").parallelToolCalls(false).store(true).metadata(Map.of("app", "handoff"))
                .serviceTier("flex").reasoningEffort("low").customParameters(Map.of("top_k", 40))
                .build();
        ContinuationRequest request = new ContinuationRequest(LangChain4jContinuatorTest.HISTORY, " Your name is",
                LangChain4jContinuatorTest.PLAN.withCloud(new CloudRequest(120, 0.3, List.of("\n\n", "User:"))),
                Optional.empty());
        JsonNode body = sent(model, ContinuationStrategy.PREFILL,
                new PrefillFields(Map.of("continue_final_message", true), Map.of("prefix", true)), request);

        JsonNode messages = body.get("messages");
        assertThat(messages.get(messages.size() - 1)).isEqualTo(JSON.createObjectNode().put("role", "assistant")
                .put("content", "Your name is").put("prefix", true));
        assertThat(messages.get(messages.size() - 2)).isEqualTo(JSON.createObjectNode().put("role", "user")
                .put("content", "What is my name?"));
        ((ObjectNode) body).remove("messages");
        assertThat(body).isEqualTo(JSON.readTree("""
                {"model": "gpt-test", "temperature": 0.3, "top_p": 0.9, "stream": true,
                 "stream_options": {"include_usage": true}, "stop": ["\\n\\n", "User:"],
                 "max_completion_tokens": 120, "presence_penalty": 0.0, "frequency_penalty": 0.5,
                 "logit_bias": {"50256": -100}, "user": "device-1", "response_format": {"type": "json_object"},
                 "seed": 7, "parallel_tool_calls": false, "store": true, "metadata": {"app": "handoff"},
                 "reasoning_effort": "low", "service_tier": "flex", "top_k": 40, "continue_final_message": true}
                """));
        List<String> order = new ArrayList<>();
        body.fieldNames().forEachRemaining(order::add);
        assertThat(order).as("the order langchain4j's mapping wrote them in; the prefill's fields after the model's")
                .containsExactly("model", "temperature", "top_p", "stream", "stream_options", "stop",
                        "max_completion_tokens", "presence_penalty", "frequency_penalty", "logit_bias", "user",
                        "response_format", "seed", "parallel_tool_calls", "store", "metadata", "reasoning_effort",
                        "service_tier", "top_k", "continue_final_message");
    }
}
