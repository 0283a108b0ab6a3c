package io.quarkiverse.handoff.runtime.continuator;

import java.util.function.Supplier;

import io.quarkus.runtime.annotations.Recorder;

/** Hands the build's choice of chat-model provider to the run time. */
@Recorder
public class CloudProviderRecorder {

    public Supplier<CloudProvider> cloudProvider(String provider, String modelName) {
        CloudProvider selected = new CloudProvider(provider, modelName);
        return () -> selected;
    }
}
