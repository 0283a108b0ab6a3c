package io.quarkiverse.handoff.it.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.ContinuationEvent;
import io.quarkiverse.handoff.event.CorrectionEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.event.PlanEvent;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkiverse.handoff.runtime.correction.ErrorCorrections;
import io.quarkiverse.handoff.runtime.opener.WordAssembler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * quarkus-langchain4j's Gemini provider continues real handoffs end to end: the {@link Handoff} bean runs them with a
 * {@link ScriptedOpener}, the continuator (chosen by the extension from the provider the build selected, with no
 * configuration of its own) streams through langchain4j's Gemini client from the {@link GeminiProtocolServer}, and the
 * seam joins the two. Nothing OpenAI is on this application's class path.
 */
@QuarkusTest
@WithTestResource(GeminiServerResource.class)
class GeminiContinuationTest {

    /** How long to wait for what must happen, at most: a guard against hanging, never a measure of speed. */
    static final Duration LIVENESS = Duration.ofSeconds(30);
    static final String MODEL = "gemini-2.5-flash";
    static final String TIMER = "Set a timer for 10 minutes";

    @Inject
    Handoff handoff;

    @Inject
    ScriptedOpener opener;

    @Inject
    ErrorCorrections corrections;

    @Inject
    Vertx vertx;

    GeminiProtocolServer server = GeminiServerResource.server;

    @BeforeEach
    void reset() {
        server.reset();
    }

    @Test
    void theGeminiProviderContinuesTheOpenerWithTheInstructionStrategy() throws IOException {
        // a conversation with an earlier exchange: all of it reaches the cloud, in Gemini's roles
        Conversation conversation = new Conversation(List.of(ChatMessage.user("Hi"),
                ChatMessage.assistant("Hello! How can I help?"), ChatMessage.user(TIMER)));
        opener.say("Sure, I'll set a timer");
        server.then(List.of(" set", " a timer", " for ten minutes."), 0); // the model restates the opener's end

        List<HandoffEvent> events = run(conversation);

        PlanEvent plan = only(events, PlanEvent.class);
        DoneEvent done = only(events, DoneEvent.class);
        assertThat(plan.committedOpener()).isEqualTo("Sure, I'll set a timer");
        // the provider the build selected names the continuator; its strategy is the documented auto choice for a
        // provider other than Ollama and Anthropic (docs/continuator.md, Strategies)
        assertThat(plan.continuator()).isEqualTo("langchain4j:google-ai-gemini");
        assertThat(done.continuator()).isEqualTo("langchain4j:google-ai-gemini");
        assertThat(done.strategy()).isEqualTo("instruction");

        // the seam: the restated words are cut, so the user gets the opener and then exactly what follows it
        assertThat(continuation(events)).isEqualTo(" for ten minutes.");
        assertThat(done.text()).isEqualTo("Sure, I'll set a timer for ten minutes.");
        assertThat(noWordTwiceInARow(done.text())).as("no doubled word at the seam: %s", done.text()).isTrue();
        assertThat(done.degraded()).isFalse();
        assertThat(done.correction()).isNull();
        assertThat(done.cloudAttempts()).isEqualTo(1);

        // the request on the wire: Gemini's streaming endpoint, its api key header
        assertThat(server.requests()).hasSize(1);
        GeminiProtocolServer.Request request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/v1beta/models/" + MODEL + ":streamGenerateContent");
        assertThat(request.query()).isEqualTo("alt=sse");
        assertThat(request.apiKey()).isEqualTo(GeminiServerResource.API_KEY);

        // the continuation instruction: the extension's system prompt as Gemini's system instruction...
        JsonObject body = request.body();
        assertThat(text(body.getJsonObject("systemInstruction"))).startsWith(firstLine("continuation-system.txt"));
        // ...the earlier turns as they were, the model's as role "model"...
        JsonArray contents = body.getJsonArray("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.getJsonObject(0).getString("role")).isEqualTo("user");
        assertThat(text(contents.getJsonObject(0))).isEqualTo("Hi");
        assertThat(contents.getJsonObject(1).getString("role")).isEqualTo("model");
        assertThat(text(contents.getJsonObject(1))).isEqualTo("Hello! How can I help?");
        // ...and the last user turn carrying the question, the words already said and the ask to go on from there
        assertThat(contents.getJsonObject(2).getString("role")).isEqualTo("user");
        assertThat(text(contents.getJsonObject(2))).contains(TIMER)
                .contains("[Already said to the user, word for word: \"Sure, I'll set a timer\"]")
                .contains("Continue the reply from exactly where it stops.");
    }

    @Test
    void nothingOpenAiIsOnTheClassPath() {
        // the extension reads the OpenAI protocol itself when langchain4j's OpenAI module is there: here it must not be
        assertThat(Thread.currentThread().getContextClassLoader()
                .getResource("dev/langchain4j/model/openai/OpenAiStreamingChatModel.class")).isNull();
    }

    @Test
    void aPivotMarkerFromGeminiFiresTheCorrectionAndNeverReachesTheUser() {
        opener.say("The capital of Australia is Sydney");
        server.then(List.of("[PIV", "OT]", " Sorry, I misspoke:", " it is Canberra."), 0);

        List<HandoffEvent> events = run(Conversation.of("What is the capital of Australia?"));

        PlanEvent plan = only(events, PlanEvent.class);
        CorrectionEvent correction = only(events, CorrectionEvent.class);
        DoneEvent done = only(events, DoneEvent.class);
        assertThat(correction.method()).isEqualTo(plan.plan().recoveryMethod());
        assertThat(done.correction()).isEqualTo(plan.plan().recoveryMethod());
        assertThat(continuation(events)).isEqualTo("\u2026 Sorry, I misspoke: it is Canberra.");
        assertThat(done.text()).isEqualTo("The capital of Australia is Sydney\u2026 Sorry, I misspoke: it is Canberra.")
                .doesNotContainIgnoringCase("pivot");
        assertThat(done.degraded()).isFalse();
    }

    /**
     * What quarkus-langchain4j's own HTTP client does with a stream (it reads a response whole before it hands over its
     * first event), pinned so that a provider version that streams shows here: the server sends the first chunk at
     * once and keeps the response open, as a model still writing, yet the handoff gets no first token within the plan's
     * deadline, finishes the reply on the device, and its cancel cannot close the request. {@link
     * GeminiJdkHttpClientTest} shows the remedy, documented in docs/continuator.md.
     */
    @Test
    void theProvidersOwnClientHandsOverNothingBeforeTheResponseEnds() {
        opener.say("Sure, I'll set a timer");
        server.thenHold(List.of(" for ten minutes."));

        // subscribed on an event loop, as a REST endpoint returning the events does (the request itself is made on a
        // worker either way: see aSubscriberOnABlockingThreadStillGetsTheDeadline)
        Context eventLoop = vertx.getOrCreateContext();
        List<HandoffEvent> events = handoff.run(new HandoffRequest(Conversation.of(TIMER), "phone", DeviceFacts.NONE))
                .runSubscriptionOn(subscribe -> eventLoop.runOnContext(ignored -> subscribe.run())).collect().asList()
                .await().atMost(LIVENESS);

        DoneEvent done = only(events, DoneEvent.class);
        assertThat(done.degradedCode())
                .as("the chunk sent at once did not reach the handoff before its first-token deadline (if it does, "
                        + "the provider streams now: update docs/continuator.md, Gemini)")
                .isEqualTo("first-token-timeout");
        assertThat(done.text()).isEqualTo("Sure, I'll set a timer (finished on the device)");
        assertThat(server.holding()).as("the request the handoff gave up is still open at the server").isTrue();
        server.release();
    }

    /**
     * Subscribed on a thread that may block (the CLI's, a test's): the provider's client would read the whole response
     * on that thread before returning, so the request is made on a worker and the first-token deadline still holds.
     */
    @Test
    void aSubscriberOnABlockingThreadStillGetsTheDeadline() {
        opener.say("Sure, I'll set a timer");
        server.thenHold(List.of(" for ten minutes."));

        List<HandoffEvent> events = handoff.run(new HandoffRequest(Conversation.of(TIMER), "phone", DeviceFacts.NONE))
                .collect().asList().await().atMost(LIVENESS);

        assertThat(only(events, DoneEvent.class).degradedCode()).isEqualTo("first-token-timeout");
        assertThat(server.holding()).isTrue();
        server.release();
    }

    /** The seam conformance cases marked e2e for the instruction strategy (and a plain answer), through Gemini. */
    static List<SeamCase> seamCases() throws IOException {
        return SeamCase.read("instruction", "answer");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seamCases")
    void theSeamConformanceCasesHoldThroughGemini(SeamCase c) {
        opener.say(c.opener());
        server.then(c.deltas(), 0);

        List<HandoffEvent> events = run(Conversation.of("Tell me something"));

        PlanEvent plan = only(events, PlanEvent.class);
        DoneEvent done = only(events, DoneEvent.class);
        assertThat(plan.committedOpener()).as("the scripted opener was committed").isEqualTo(c.opener());
        assertThat(server.requests()).as("one cloud request").hasSize(1);
        String method = plan.plan().recoveryMethod();
        String expected = c.expected();
        if (c.degraded()) {
            // a marker with nothing after it: the handoff ends the reply with the method's own sentence
            String shown = c.opener() + expected;
            String joint = WordAssembler.endsSentence(shown) ? " " : "\u2026 ";
            expected += (shown.endsWith(" ") ? joint.stripLeading() : joint)
                    + corrections.get(method).unansweredPivot();
        }
        assertThat(continuation(events)).as("%s: the continuation events, exactly", c.id()).isEqualTo(expected);
        assertThat(done.text()).as("%s: the whole reply", c.id()).isEqualTo(c.opener() + expected);
        assertThat(done.strategy()).isEqualTo(c.opener().isEmpty() ? "answer" : c.strategy());
        assertThat(done.text().toLowerCase(Locale.ROOT)).as("no marker reaches the user").doesNotContain("[pivot]");
        boolean corrected = !"none".equals(c.correction());
        assertThat(events.stream().filter(CorrectionEvent.class::isInstance)).as("%s: the correction events", c.id())
                .hasSize(corrected ? 1 : 0);
        assertThat(done.correction()).isEqualTo(corrected ? method : null);
        assertThat(done.degraded()).as("%s: degraded", c.id()).isEqualTo(c.degraded());
        if (c.degraded()) {
            assertThat(done.degradedCode()).isEqualTo(DoneEvent.PIVOT_UNANSWERED);
        }
    }

    /** One case of runtime/src/test/resources/seam/conformance.json, the file SeamConformanceTest runs. */
    record SeamCase(String id, String strategy, String opener, List<String> deltas, String expected,
            String correction, boolean degraded) {

        static final Path FILE = Path.of("..", "..", "runtime", "src", "test", "resources", "seam",
                "conformance.json");

        static List<SeamCase> read(String... strategies) throws IOException {
            List<String> wanted = List.of(strategies);
            List<SeamCase> cases = new JsonArray(Files.readString(FILE, StandardCharsets.UTF_8)).stream()
                    .map(JsonObject.class::cast)
                    .filter(c -> c.getBoolean("e2e", false) && wanted.contains(c.getString("strategy")))
                    .map(c -> new SeamCase(c.getString("id"), c.getString("strategy"), c.getString("opener"),
                            c.getJsonArray("deltas").stream().map(String.class::cast).toList(),
                            c.getString("expected"), c.getString("correction", "none"),
                            c.getBoolean("degraded", false)))
                    .toList();
            assertThat(cases).as("end-to-end cases of %s in %s", wanted, FILE).isNotEmpty();
            return cases;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private List<HandoffEvent> run(Conversation conversation) {
        return handoff.run(new HandoffRequest(conversation, "phone", DeviceFacts.NONE)).collect().asList()
                .await().atMost(LIVENESS);
    }

    private static <T extends HandoffEvent> T only(List<HandoffEvent> events, Class<T> type) {
        List<T> found = events.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as("one %s event in %s", type.getSimpleName(), events).hasSize(1);
        return found.get(0);
    }

    private static String continuation(List<HandoffEvent> events) {
        return events.stream().filter(ContinuationEvent.class::isInstance).map(e -> ((ContinuationEvent) e).delta())
                .collect(Collectors.joining());
    }

    /** The text of a Gemini content: its parts' texts, joined. */
    private static String text(JsonObject content) {
        return content.getJsonArray("parts").stream().map(JsonObject.class::cast).map(p -> p.getString("text", ""))
                .collect(Collectors.joining());
    }

    private static String firstLine(String prompt) throws IOException {
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("META-INF/handoff/prompts/" + prompt)) {
            assertThat(in).as("the extension's prompt %s", prompt).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        }
    }

    private static boolean noWordTwiceInARow(String text) {
        String[] words = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+");
        for (int i = 1; i < words.length; i++) {
            if (!words[i].isEmpty() && words[i].equals(words[i - 1])) {
                return false;
            }
        }
        return true;
    }
}
