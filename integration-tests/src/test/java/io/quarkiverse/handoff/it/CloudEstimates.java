package io.quarkiverse.handoff.it;

import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkus.arc.Arc;

/**
 * The planner learns from every handoff: after one handoff against the local test server, whose first token comes in
 * a few milliseconds, the cloud is measured faster than the opener and the next plans skip the opener. Tests that
 * expect an opener forget those measurements first.
 */
final class CloudEstimates {

    private CloudEstimates() {
    }

    /** Forgets every latency measurement and marks the cloud reachable, as at startup. */
    static void forget() {
        Arc.container().instance(CloudConditions.class).get().reset();
    }
}
