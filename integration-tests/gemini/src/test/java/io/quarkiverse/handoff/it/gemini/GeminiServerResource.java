package io.quarkiverse.handoff.it.gemini;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the Gemini-protocol test server before the application and points quarkus-langchain4j's Gemini provider at
 * it. As in the device service's tests, every cloud latency measurement expires at once (each handoff is planned as the
 * first one, not skipping the opener because this server answers in milliseconds) and the opener has no time budget.
 */
public class GeminiServerResource implements QuarkusTestResourceLifecycleManager {

    static final String API_KEY = "test-gemini-key";

    static GeminiProtocolServer server;

    @Override
    public Map<String, String> start() {
        server = new GeminiProtocolServer();
        return Map.of(
                "quarkus.langchain4j.ai.gemini.base-url", server.baseUrl(),
                "quarkus.langchain4j.ai.gemini.api-key", API_KEY,
                "quarkus.handoff.policy.cloud.estimate-max-age", "PT0.000000001S",
                "quarkus.handoff.opener.time-budget", "1h");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
