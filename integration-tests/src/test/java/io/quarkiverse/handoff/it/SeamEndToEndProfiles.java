package io.quarkiverse.handoff.it;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The device service with the {@link ScriptedOpener} and one continuation strategy, against the OpenAI-protocol test
 * server: for the end-to-end seam cases ({@link SeamEndToEnd}).
 */
final class SeamEndToEndProfiles {

    private SeamEndToEndProfiles() {
    }

    private abstract static class WithScriptedOpener implements QuarkusTestProfile {
        private final Map<String, String> config;

        WithScriptedOpener(Map<String, String> strategy) {
            config = new HashMap<>(strategy);
            config.put("quarkus.arc.selected-alternatives", ScriptedOpener.class.getName());
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OpenAiServerResource.class));
        }
    }

    public static final class Instruction extends WithScriptedOpener {
        public Instruction() {
            super(Map.of("quarkus.handoff.continuator.strategy", "instruction"));
        }
    }

    public static final class Prefill extends WithScriptedOpener {
        public Prefill() {
            super(Map.of("quarkus.handoff.continuator.strategy", "prefill",
                    "quarkus.handoff.continuator.prefill-parameters.continue_final_message", "true"));
        }
    }

    public static final class Splice extends WithScriptedOpener {
        public Splice() {
            super(Map.of("quarkus.handoff.continuator.strategy", "splice"));
        }
    }
}
