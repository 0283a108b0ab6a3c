package io.quarkiverse.handoff.it;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the OpenAI-protocol test server (which misbehaves on demand) before the application, points
 * quarkus-langchain4j at it, and tightens the cloud continuation's fault tolerance so that failures show in
 * milliseconds: a 600 ms idle timeout, a 50 ms retry delay, a breaker that opens after two failed calls in a row and
 * half-opens after 5 s (long enough for a test to see it open on a busy machine), and a connection pre-warm on every
 * handoff. It also declares the {@link TestDeviceProfiles}.
 */
public class MisbehavingCloudResource implements QuarkusTestResourceLifecycleManager {

    static final String ORGANIZATION = "org-handoff-test";

    static OpenAiStreamingServer server;

    @Override
    public Map<String, String> start() {
        server = new OpenAiStreamingServer();
        Map<String, String> config = new HashMap<>(TestDeviceProfiles.CONFIG);
        config.putAll(Map.of(
                "quarkus.langchain4j.openai.base-url", server.baseUrl(),
                "quarkus.langchain4j.openai.api-key", "test-key",
                "quarkus.langchain4j.openai.organization-id", ORGANIZATION,
                "quarkus.handoff.continuator.idle-timeout", "600ms",
                "quarkus.handoff.continuator.retry.delay", "50ms",
                "quarkus.handoff.continuator.circuit-breaker.request-volume-threshold", "2",
                "quarkus.handoff.continuator.circuit-breaker.failure-ratio", "1.0",
                "quarkus.handoff.continuator.circuit-breaker.delay", "5s",
                "quarkus.handoff.continuator.prewarm-after-idle", "0s",
                "quarkus.handoff.opener.time-budget", OpenAiServerResource.UNLIMITED_OPENER_TIME));
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
