package io.quarkiverse.handoff.deployment.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.time.Duration;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.runtime.policy.DroolsHandoffPlanner;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A rule that throws fails the startup warm-up in the background: readiness stays DOWN and says why, instead of
 * waiting forever.
 */
class RulesWarmUpFailureTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .addAsResource(new StringAsset(String.join("\n",
                            "package com.acme.handoff;",
                            "import io.quarkiverse.handoff.policy.PlanningFacts;",
                            "rule \"Acme: watches are not supported yet\"",
                            "when",
                            "    PlanningFacts( profile == \"watch\" )",
                            "then",
                            "    throw new IllegalStateException(\"watches are not supported yet\");",
                            "end",
                            "")), "com/acme/handoff/broken.drl")
                    .addAsResource(new StringAsset("quarkus.handoff.opener.enabled=false\n"), "application.properties"));

    @Inject
    DroolsHandoffPlanner planner;

    @Test
    void readinessIsDownWithTheError() {
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> planner.warmUpFailure().isPresent());
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'Handoff rules' }.status", is("DOWN"))
                .body("checks.find { it.name == 'Handoff rules' }.data.error",
                        containsString("watches are not supported yet"));
    }
}
