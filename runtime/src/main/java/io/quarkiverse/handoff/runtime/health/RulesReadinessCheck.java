package io.quarkiverse.handoff.runtime.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkiverse.handoff.runtime.policy.DroolsHandoffPlanner;

/**
 * Ready once the handoff rules are loaded and warmed at startup (in the background); always up when the application
 * plans with its own planner.
 */
@Readiness
@ApplicationScoped
public class RulesReadinessCheck implements HealthCheck {

    @Inject
    Instance<DroolsHandoffPlanner> planner;

    @Override
    public HealthCheckResponse call() {
        boolean warm = !planner.isResolvable() || planner.get().isWarm();
        return HealthCheckResponse.named("Handoff rules").status(warm).withData("status", warm ? "warm" : "loading")
                .build();
    }
}
