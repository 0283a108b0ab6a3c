package io.quarkiverse.handoff.it;

import static io.quarkiverse.handoff.it.CloudContinuationTest.body;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.it.OpenAiStreamingServer.Behaviour;
import io.quarkiverse.handoff.it.ServerSentEvents.Event;
import io.quarkiverse.handoff.runtime.correction.ErrorCorrections;
import io.quarkiverse.handoff.runtime.opener.WordAssembler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The seam conformance cases marked {@code e2e} (runtime/src/test/resources/seam/conformance.json, the file
 * SeamConformanceTest runs against the seam alone), end to end: the {@link ScriptedOpener} commits the case's opener,
 * the OpenAI-protocol test server streams the case's deltas as its chunks, and the handoff's Server-Sent Events must
 * carry exactly the case's text, its correction and its degraded flag.
 */
final class SeamEndToEnd {

    static final Path CASES = Path.of("..", "runtime", "src", "test", "resources", "seam", "conformance.json");

    /** One case of the file, as the end-to-end tests read it. */
    record Case(String id, String strategy, String opener, List<String> deltas, String expected, String correction,
            boolean degraded) {

        @Override
        public String toString() {
            return id;
        }
    }

    private SeamEndToEnd() {
    }

    /** The end-to-end cases of these strategies. */
    static List<Case> cases(String... strategies) {
        JsonArray all;
        try {
            all = new JsonArray(Files.readString(CASES, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> wanted = List.of(strategies);
        List<Case> cases = all.stream().map(JsonObject.class::cast)
                .filter(c -> c.getBoolean("e2e", false) && wanted.contains(c.getString("strategy")))
                .map(c -> new Case(c.getString("id"), c.getString("strategy"), c.getString("opener"),
                        c.getJsonArray("deltas").stream().map(String.class::cast).toList(), c.getString("expected"),
                        c.getString("correction", "none"), c.getBoolean("degraded", false)))
                .toList();
        assertThat(cases).as("end-to-end cases of %s", wanted).isNotEmpty();
        return cases;
    }

    /** Runs the case through POST /v1/handoff and checks the stream the user gets. */
    static void check(Case c, OpenAiStreamingServer server, ScriptedOpener opener, ErrorCorrections corrections) {
        server.reset();
        opener.say(c.opener());
        server.then(Behaviour.stream(c.deltas(), 0));
        List<Event> events = CloudContinuationTest.handoff(body("phone", "Tell me something"));
        JsonObject handoff = CloudContinuationTest.first(events, "handoff");
        JsonObject done = CloudContinuationTest.done(events);
        assertThat(handoff.getString("committedOpener")).as("the scripted opener was committed").isEqualTo(c.opener());
        assertThat(server.requests()).as("one cloud request").hasSize(1);

        String method = handoff.getJsonObject("plan").getString("recoveryMethod");
        String expected = c.expected();
        if (c.degraded()) {
            // the handoff ends a reply whose marker had nothing after it with the method's own sentence
            String shown = c.opener() + expected;
            String joint = WordAssembler.endsSentence(shown) ? " " : "\u2026 ";
            expected += (shown.endsWith(" ") ? joint.stripLeading() : joint)
                    + corrections.get(method).unansweredPivot();
        }
        String streamed = events.stream().filter(e -> "continuation".equals(e.name()))
                .map(e -> e.data().getString("delta")).collect(Collectors.joining());
        assertThat(streamed).as("%s: the continuation events, exactly", c.id()).isEqualTo(expected);
        assertThat(done.getString("continuation")).isEqualTo(expected);
        assertThat(done.getString("text")).as("%s: the whole reply", c.id()).isEqualTo(c.opener() + expected);
        assertThat(done.getString("strategy")).isEqualTo(c.opener().isEmpty() ? "answer" : c.strategy());
        assertThat(streamed.toLowerCase(Locale.ROOT)).as("no marker reaches the user").doesNotContain("[pivot]");

        List<Event> correctionEvents = events.stream().filter(e -> "correction".equals(e.name())).toList();
        boolean corrected = !"none".equals(c.correction());
        assertThat(correctionEvents).as("%s: the correction events", c.id()).hasSize(corrected ? 1 : 0);
        assertThat(done.getString("correction")).isEqualTo(corrected ? method : null);
        assertThat(done.getBoolean("degraded")).as("%s: degraded", c.id()).isEqualTo(c.degraded());
        if (c.degraded()) {
            assertThat(done.getString("degradedCode")).isEqualTo(DoneEvent.PIVOT_UNANSWERED);
        }
    }
}
