package io.quarkiverse.handoff.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** LongConversationTest against the packaged application, in the jar or the native binary. */
@QuarkusIntegrationTest
class LongConversationIT extends LongConversationTest {
}
