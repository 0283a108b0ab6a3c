package io.quarkiverse.handoff.it;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The device service configured with one continuation strategy, against the OpenAI-protocol test server. */
final class ContinuationStrategyProfiles {

    private ContinuationStrategyProfiles() {
    }

    /** Prefill, with the parameter vLLM needs to continue the final assistant message. */
    public static final class Prefill implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.handoff.continuator.strategy", "prefill",
                    "quarkus.handoff.continuator.prefill-parameters.continue_final_message", "true",
                    // Mistral's marking of the opener (docs/continuator.md#mistral)
                    "quarkus.handoff.continuator.prefill-message-fields.prefix", "true");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OpenAiServerResource.class));
        }
    }

    public static final class Splice implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.handoff.continuator.strategy", "splice");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OpenAiServerResource.class));
        }
    }
}
