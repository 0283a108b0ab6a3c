package io.quarkiverse.handoff.it;

import org.junit.jupiter.api.Disabled;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** CloudContinuationTest reads and resets the application's circuit breaker and cloud conditions beans. */
@QuarkusIntegrationTest
@Disabled("injects the application's ContinuationGuard and CloudConditions beans, which a test cannot reach in a"
        + " packaged application; covered in JVM mode by CloudContinuationTest")
class CloudContinuationIT extends CloudContinuationTest {
}
