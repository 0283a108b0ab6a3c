package io.quarkiverse.handoff.runtime.config;

import io.quarkiverse.handoff.runtime.policy.PolicyBuildConfig;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * The build-time configuration of the handoff extension, {@code quarkus.handoff.*}: what the build reads and the run
 * time cannot change. What can be set when the application starts is in {@link HandoffRuntimeConfig}, under the same
 * prefix.
 */
@ConfigMapping(prefix = "quarkus.handoff")
@ConfigRoot(phase = ConfigPhase.BUILD_AND_RUN_TIME_FIXED)
public interface HandoffBuildConfig {

    /**
     * Which opener model the application ships.
     */
    OpenerBuildConfig opener();

    /**
     * Which cloud model continues replies.
     */
    ContinuatorBuildConfig continuator();

    /**
     * Which rule files are compiled into the planner.
     */
    PolicyBuildConfig policy();

    /**
     * Native image settings.
     */
    @WithName("native")
    NativeImageConfig nativeImage();
}
