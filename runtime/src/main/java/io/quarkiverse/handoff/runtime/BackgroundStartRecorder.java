package io.quarkiverse.handoff.runtime;

import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.handoff.runtime.opener.OpenerEngine;
import io.quarkiverse.handoff.runtime.policy.DroolsHandoffPlanner;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.annotations.Recorder;

/**
 * Starts what readiness waits for, the opener model's loading and the rules' warm-up, in the background as soon as
 * the run time's configuration and the beans are ready: they run while Quarkus starts the other extensions and the
 * HTTP server, instead of after them. ONNX Runtime's native libraries and the rules' warm-up need neither, and on the
 * JVM start earlier still.
 */
@Recorder
public class BackgroundStartRecorder {

    /** On the JVM, from the static initialization: loads ONNX Runtime's native libraries in the background. */
    public void loadOnnxRuntime() {
        OpenerEngine.startOnnxRuntimeInit();
    }

    /**
     * On the JVM, from the static initialization, when the application has no planner of its own: starts the rules'
     * warm-up, which needs no configuration ({@link #start()} finds it started).
     */
    public void warmRulesEarly() {
        InstanceHandle<DroolsHandoffPlanner> planner = Arc.container().instance(DroolsHandoffPlanner.class);
        if (planner.isAvailable()) {
            planner.get().startWarmUp();
        }
    }

    public void start() {
        // an application may replace either with its own bean; then there is nothing to start
        InstanceHandle<OnnxOpener> opener = Arc.container().instance(OnnxOpener.class);
        if (opener.isAvailable()) {
            opener.get().startLoading();
        }
        InstanceHandle<DroolsHandoffPlanner> planner = Arc.container().instance(DroolsHandoffPlanner.class);
        if (planner.isAvailable()) {
            planner.get().startWarmUp();
        }
    }
}
