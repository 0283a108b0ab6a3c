package io.quarkiverse.handoff.runtime.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.quarkiverse.handoff.runtime.policy.DroolsHandoffPlanner;

/**
 * Ready once the handoff rules are loaded and warmed at startup (in the background); DOWN with the error when the
 * warm-up failed; always up when the application plans with its own planner.
 */
@Readiness
@ApplicationScoped
public class RulesReadinessCheck implements HealthCheck {

    @Inject
    Instance<DroolsHandoffPlanner> planner;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Handoff rules");
        if (!planner.isResolvable() || !planner.get().inUse()) {
            return response.up().withData("status", "not used: the application plans with its own planner").build();
        }
        if (planner.get().isWarm()) {
            return response.up().withData("status", "warm").build();
        }
        return planner.get().warmUpFailure()
                .map(failure -> response.down().withData("error", String.valueOf(failure.getMessage())).build())
                .orElseGet(() -> response.down().withData("status", "loading").build());
    }
}
