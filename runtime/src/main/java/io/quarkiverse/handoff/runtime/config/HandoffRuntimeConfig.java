package io.quarkiverse.handoff.runtime.config;

import io.quarkiverse.handoff.runtime.correction.CorrectionConfig;
import io.quarkiverse.handoff.runtime.policy.PolicyRuntimeConfig;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;

/**
 * The run-time configuration of the handoff extension, {@code quarkus.handoff.*}: what can be set when the
 * application starts. What the build fixes is in {@link HandoffBuildConfig}, under the same prefix.
 */
@ConfigMapping(prefix = "quarkus.handoff")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface HandoffRuntimeConfig {

    /**
     * How the opener model runs.
     */
    OpenerRuntimeConfig opener();

    /**
     * Who continues the reply after the opener, and how the cloud continuator talks to its model.
     */
    ContinuatorRuntimeConfig continuator();

    /**
     * The handoff planner: custom device profiles and the planner's view of the cloud.
     */
    PolicyRuntimeConfig policy();

    /**
     * When a handoff corrects an opener that went wrong.
     */
    CorrectionConfig correction();
}
