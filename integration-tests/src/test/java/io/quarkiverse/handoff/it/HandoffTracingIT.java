package io.quarkiverse.handoff.it;

import org.junit.jupiter.api.Disabled;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** HandoffTracingTest collects spans with an in-memory exporter bean that only the test classpath holds. */
@QuarkusIntegrationTest
@Disabled("reads spans from an InMemorySpanExporter bean of the test classpath, which a packaged application neither"
        + " contains nor shares with the test; covered in JVM mode by HandoffTracingTest")
class HandoffTracingIT extends HandoffTracingTest {
}
