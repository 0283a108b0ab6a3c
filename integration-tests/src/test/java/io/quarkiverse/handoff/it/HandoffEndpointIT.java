package io.quarkiverse.handoff.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** HandoffEndpointTest against the packaged application: POST /v1/handoff, in the jar or the native binary. */
@QuarkusIntegrationTest
class HandoffEndpointIT extends HandoffEndpointTest {
}
