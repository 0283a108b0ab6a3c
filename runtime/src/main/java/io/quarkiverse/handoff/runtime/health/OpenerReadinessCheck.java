package io.quarkiverse.handoff.runtime.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.quarkiverse.handoff.runtime.opener.OnnxOpener;

/**
 * Ready once the opener model is loaded and warmed; DOWN with the reason when it cannot be loaded.
 */
@Readiness
@ApplicationScoped
public class OpenerReadinessCheck implements HealthCheck {

    @Inject
    OnnxOpener opener;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Handoff opener model")
                .withData("model", opener.name());
        if (opener.isReady()) {
            return response.up().build();
        }
        return opener.failure()
                .map(failure -> response.down().withData("error", String.valueOf(failure.getMessage())).build())
                .orElseGet(() -> response.down().withData("status", "loading").build());
    }
}
