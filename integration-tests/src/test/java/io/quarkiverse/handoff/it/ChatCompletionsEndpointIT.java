package io.quarkiverse.handoff.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * ChatCompletionsEndpointTest against the packaged application: the OpenAI-compatible endpoint, driven by the OpenAI client
 * library, in the jar or the native binary.
 */
@QuarkusIntegrationTest
class ChatCompletionsEndpointIT extends ChatCompletionsEndpointTest {
}
