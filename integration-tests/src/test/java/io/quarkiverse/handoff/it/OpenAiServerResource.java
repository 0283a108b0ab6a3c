package io.quarkiverse.handoff.it;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the OpenAI-protocol test server before the application and points quarkus-langchain4j at it; declares the
 * {@link TestDeviceProfiles}.
 */
public class OpenAiServerResource implements QuarkusTestResourceLifecycleManager {

    static OpenAiStreamingServer server;

    @Override
    public Map<String, String> start() {
        server = new OpenAiStreamingServer();
        Map<String, String> config = new HashMap<>(TestDeviceProfiles.CONFIG);
        config.put("quarkus.langchain4j.openai.base-url", server.baseUrl());
        config.put("quarkus.langchain4j.openai.api-key", "test-key");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
