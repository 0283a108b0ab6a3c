package io.quarkiverse.handoff.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.handoff.runtime.policy.DroolsHandoffPlanner;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.QuarkusUnitTest;

/**
 * What readiness waits for starts in the background before the startup event: the opener model's loading and the
 * rules' warm-up run while the rest of the application starts, and readiness reports both (that it is DOWN while the
 * model loads: OpenerReadinessTest; while the rules fail: RulesWarmUpFailureTest).
 */
class BackgroundStartTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(FirstStartupObserver.class));

    /** Observes the startup event before any other observer, and notes what had already started by then. */
    @Singleton
    public static class FirstStartupObserver {
        volatile boolean modelLoadingStarted;
        volatile boolean rulesWarmUpStarted;

        void onStart(@Observes @Priority(1) StartupEvent event, OnnxOpener opener, DroolsHandoffPlanner planner) {
            modelLoadingStarted = opener.isLoadingStarted();
            rulesWarmUpStarted = planner.isWarmUpStarted();
        }
    }

    @Inject
    FirstStartupObserver observer;

    @Inject
    OnnxOpener opener;

    @Inject
    DroolsHandoffPlanner planner;

    @Test
    void theModelAndTheRulesStartBeforeTheStartupEventAndReadinessReportsBoth() {
        assertThat(observer.modelLoadingStarted).as("the model was loading before the startup event").isTrue();
        assertThat(observer.rulesWarmUpStarted).as("the rules were warming up before the startup event").isTrue();
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> opener.isReady() && planner.isWarm());
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems("Handoff opener model", "Handoff rules"))
                .body("checks.find { it.name == 'Handoff rules' }.data.status", is("warm"));
    }
}
