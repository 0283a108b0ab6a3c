package io.quarkiverse.handoff.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.handoff.OpenerStop;
import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.policy.Sampling;

/** Every event serialized by a plain, unconfigured Jackson mapper names itself, and reads back as itself. */
class HandoffEventJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<HandoffEvent> oneOfEach() {
        HandoffPlan plan = new HandoffPlan("watch", HandoffMode.HYBRID, 5, HandoffPoint.AFTER_WORDS, 0.2, "natural",
                Sampling.PAPER_DEFAULT, 3000, false, List.of("Watch: open with 5 words"));
        Timings timings = new Timings(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 1.0, 1.0);
        return List.of(
                new OpenerEvent(0, "Paris", 0.9, 12.5),
                new PlanEvent(plan, "Paris is", "openai", 20),
                new ContinuationEvent(" the capital.", 30),
                new CorrectionEvent("natural", "the opener named the wrong city", 31),
                new DoneEvent("Paris is the capital.", "Paris is", " the capital.", "instruction", "openai", false,
                        null, timings, 40, null, 1, null, null, new OpenerStop(OpenerStop.UNGROUNDED_FACT, " Lima",
                                "NAME", 0.62, List.of(" the"))),
                new ErrorEvent(ErrorEvent.HANDOFF_FAILED, "something failed", 5));
    }

    @Test
    void oneOfEachCoversEveryEventType() {
        assertThat(oneOfEach()).extracting(Object::getClass).map(Class.class::cast)
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(HandoffEvent.class.getPermittedSubclasses()));
    }

    @Test
    void everyEventCarriesItsSseNameAsType() throws Exception {
        for (HandoffEvent event : oneOfEach()) {
            JsonNode json = MAPPER.readTree(MAPPER.writeValueAsString(event));
            assertThat(json.get("type").asText()).as(event.getClass().getSimpleName()).isEqualTo(event.type());
            assertThat(json.fieldNames().next()).as("type comes first").isEqualTo("type");
            assertThat(json.get("ms").asDouble()).isEqualTo(event.ms());
        }
    }

    @Test
    void theTypeIsWrittenWhateverTheDeclaredType() throws Exception {
        // a List<HandoffEvent>, a Multi<HandoffEvent> in a REST resource: serialized through the interface
        String json = MAPPER.writerFor(MAPPER.getTypeFactory().constructCollectionType(List.class,
                HandoffEvent.class)).writeValueAsString(oneOfEach());
        JsonNode array = MAPPER.readTree(json);
        for (int i = 0; i < array.size(); i++) {
            assertThat(array.get(i).get("type").asText()).isEqualTo(oneOfEach().get(i).type());
        }
    }

    @Test
    void theDoneEventNamesWhereAndWhyTheOpenerStopped() throws Exception {
        DoneEvent done = (DoneEvent) oneOfEach().get(4);
        JsonNode stop = MAPPER.readTree(MAPPER.writeValueAsString(done)).get("openerStop");
        assertThat(stop.get("reason").asText()).isEqualTo("ungrounded-fact");
        assertThat(stop.get("before").asText()).isEqualTo("Lima");
        assertThat(stop.get("fact").asText()).isEqualTo("NAME");
        assertThat(stop.get("confidence").asDouble()).isEqualTo(0.62);
        assertThat(stop.get("dropped")).extracting(JsonNode::asText).containsExactly("the");

        JsonNode unknown = MAPPER.readTree(MAPPER.writeValueAsString(DoneEvent.builder().build()));
        assertThat(unknown.has("openerStop")).as("the field is there, null, when the stop is unknown").isTrue();
        assertThat(unknown.get("openerStop").isNull()).isTrue();
        JsonNode noWord = MAPPER.readTree(MAPPER.writeValueAsString(
                new OpenerStop(OpenerStop.PLANNED_WORDS, null, null, Double.NaN, null)));
        assertThat(noWord.get("confidence").isNull()).as("no confidence is null, not NaN").isTrue();
        assertThat(noWord.get("dropped")).isEmpty();
    }

    @Test
    void everyEventReadsBackAsItself() throws Exception {
        for (HandoffEvent event : oneOfEach()) {
            HandoffEvent read = MAPPER.readValue(MAPPER.writeValueAsString(event), HandoffEvent.class);
            assertThat(read).isEqualTo(event);
        }
    }
}
