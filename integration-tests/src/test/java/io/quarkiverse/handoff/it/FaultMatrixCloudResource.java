package io.quarkiverse.handoff.it;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The misbehaving OpenAI-protocol server for {@link CloudFaultMatrixTest}, with fault tolerance tight enough that
 * each fault shows in a few hundred milliseconds: a 500 ms idle timeout, one retry after 50 ms, a breaker that opens
 * after two failed calls in a row and half-opens after 5 s, and no connection pre-warm, so that the only connections
 * to the server are the continuation requests' (the test counts them). The {@link TestDeviceProfiles#FAULTS} profile
 * gives the first token {@value TestDeviceProfiles#FAULTS_DEADLINE_MS} ms.
 */
public class FaultMatrixCloudResource implements QuarkusTestResourceLifecycleManager {

    static OpenAiStreamingServer server;

    @Override
    public Map<String, String> start() {
        server = new OpenAiStreamingServer();
        Map<String, String> config = new HashMap<>(TestDeviceProfiles.CONFIG);
        config.putAll(Map.of(
                "quarkus.langchain4j.openai.base-url", server.baseUrl(),
                "quarkus.langchain4j.openai.api-key", "test-key",
                "quarkus.handoff.continuator.idle-timeout", "500ms",
                "quarkus.handoff.continuator.retry.delay", "50ms",
                "quarkus.handoff.continuator.circuit-breaker.request-volume-threshold", "2",
                "quarkus.handoff.continuator.circuit-breaker.failure-ratio", "1.0",
                "quarkus.handoff.continuator.circuit-breaker.delay", "5s",
                "quarkus.handoff.continuator.prewarm", "false",
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
