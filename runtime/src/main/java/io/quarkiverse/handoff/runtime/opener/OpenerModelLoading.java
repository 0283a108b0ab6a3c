package io.quarkiverse.handoff.runtime.opener;

/**
 * CDI event fired on the opener's loading thread right before the model files are read. Observers run before the
 * loading and so delay it (readiness stays DOWN until they return): an application can log or time the loading
 * stage, and tests hold it there to observe readiness while the model loads.
 *
 * @param model the configured model directory ({@code quarkus.handoff.opener.model})
 */
public record OpenerModelLoading(String model) {
}
