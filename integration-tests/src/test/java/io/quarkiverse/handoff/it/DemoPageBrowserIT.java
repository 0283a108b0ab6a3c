package io.quarkiverse.handoff.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * DemoPageBrowserTest against the packaged application: the demo page in headless Chromium, in the jar or the native binary.
 */
@QuarkusIntegrationTest
class DemoPageBrowserIT extends DemoPageBrowserTest {
}
