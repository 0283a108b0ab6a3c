package io.quarkiverse.handoff.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * OpenAiPythonWireFormatTest against the packaged application: the recorded Python client requests, in the jar or the native
 * binary.
 */
@QuarkusIntegrationTest
class OpenAiPythonWireFormatIT extends OpenAiPythonWireFormatTest {
}
