package io.quarkiverse.handoff.it;

import java.util.Map;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * EmbeddedDefaultsTest against the packaged application: the opener model and the embedded continuator, in the jar or
 * the native binary.
 */
@QuarkusIntegrationTest
@TestProfile(EmbeddedDefaultsIT.NoCloud.class)
class EmbeddedDefaultsIT extends EmbeddedDefaultsTest {

    /**
     * The embedded continuator, named: Quarkus starts a packaged application with the properties of the test resources
     * of EVERY test class run before in the same JVM (here the OpenAI test server's base url and key), so "no cloud
     * configured" cannot be reproduced by configuring nothing. JVM mode checks that choice in EmbeddedDefaultsTest.
     */
    public static class NoCloud implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.handoff.continuator.provider", "embedded");
        }
    }
}
