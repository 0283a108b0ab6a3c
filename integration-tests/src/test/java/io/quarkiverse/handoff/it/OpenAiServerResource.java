package io.quarkiverse.handoff.it;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the OpenAI-protocol test server before the application and points quarkus-langchain4j at it; declares the
 * {@link TestDeviceProfiles}.
 * <p>
 * The planner learns from every handoff: after one handoff against this server, whose first token comes in a few
 * milliseconds, the cloud is measured faster than the opener and later plans would skip the opener. These tests are
 * about the endpoints, not that learning (CloudContinuationTest and the planner's own tests cover it), so every
 * measurement expires at once and each handoff is planned as the first one after startup. This is configuration, not
 * access to the application's beans, so it holds for the packaged application (the *IT classes) too.
 */
public class OpenAiServerResource implements QuarkusTestResourceLifecycleManager {

    /** The shortest estimate lifetime there is (1 ns): no measurement is still fresh when the next plan reads it. */
    static final String FORGET_AT_ONCE = "PT0.000000001S";

    /**
     * The opener's time budget in these tests: what the opener says must not depend on how fast the machine decodes
     * (the budget itself is tested with a clock the test sets, in OpenerEngineTest).
     */
    static final String UNLIMITED_OPENER_TIME = "1h";

    static OpenAiStreamingServer server;

    @Override
    public Map<String, String> start() {
        server = new OpenAiStreamingServer();
        Map<String, String> config = new HashMap<>(TestDeviceProfiles.CONFIG);
        config.put("quarkus.langchain4j.openai.base-url", server.baseUrl());
        config.put("quarkus.langchain4j.openai.api-key", "test-key");
        config.put("quarkus.handoff.policy.cloud.estimate-max-age", FORGET_AT_ONCE);
        config.put("quarkus.handoff.opener.time-budget", UNLIMITED_OPENER_TIME);
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
