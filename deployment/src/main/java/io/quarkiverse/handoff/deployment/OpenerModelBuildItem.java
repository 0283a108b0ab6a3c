package io.quarkiverse.handoff.deployment;

import io.quarkiverse.handoff.runtime.opener.ModelDirectory;
import io.quarkus.builder.item.SimpleBuildItem;

/**
 * The opener model directory, checked complete at build time.
 */
public final class OpenerModelBuildItem extends SimpleBuildItem {

    private final ModelDirectory directory;

    public OpenerModelBuildItem(ModelDirectory directory) {
        this.directory = directory;
    }

    public ModelDirectory directory() {
        return directory;
    }
}
