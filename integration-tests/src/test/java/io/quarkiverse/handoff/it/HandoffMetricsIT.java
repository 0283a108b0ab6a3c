package io.quarkiverse.handoff.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** HandoffMetricsTest against the packaged application: the handoff metrics at /q/metrics, in the jar or the native binary. */
@QuarkusIntegrationTest
class HandoffMetricsIT extends HandoffMetricsTest {
}
