package io.quarkiverse.handoff.deployment;

import io.quarkus.runtime.configuration.ConfigurationException;

/** Finds the configuration error a failed build was caused by. */
final class BuildFailures {

    private BuildFailures() {
    }

    /** The first {@link ConfigurationException} in the cause chain, or the root cause when there is none. */
    static Throwable configurationError(Throwable failure) {
        Throwable cause = failure;
        while (!(cause instanceof ConfigurationException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
