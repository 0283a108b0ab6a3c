package io.quarkiverse.handoff.it;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the OpenAI-protocol test server before the application and points quarkus-langchain4j at it.
 */
public class OpenAiServerResource implements QuarkusTestResourceLifecycleManager {

    static OpenAiStreamingServer server;

    @Override
    public Map<String, String> start() {
        server = new OpenAiStreamingServer();
        return Map.of(
                "quarkus.langchain4j.openai.base-url", server.baseUrl(),
                "quarkus.langchain4j.openai.api-key", "test-key");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
