package io.quarkiverse.handoff.runtime.continuator;

import io.quarkiverse.handoff.ContinuationKind;
import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.Opener;
import io.smallrye.mutiny.Multi;

/**
 * The embedded default continuator: the opener model itself continues the reply on the device. It stands in for the
 * cloud when no cloud provider is configured, so the service runs with no API key and no network.
 */
public final class EmbeddedContinuator implements Continuator {

    public static final String NAME = "embedded";

    private final Opener opener;

    public EmbeddedContinuator(Opener opener) {
        this.opener = opener;
    }

    @Override
    public Multi<String> continueReply(ContinuationRequest request) {
        return opener.finishLocally(request.conversation(), request.committedOpener(), request.plan());
    }

    @Override
    public String strategy() {
        return ContinuationKind.LOCAL.strategy();
    }

    @Override
    public ContinuationKind kind() {
        return ContinuationKind.LOCAL;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** On the device: no cloud, nothing to guard. */
    @Override
    public boolean remote() {
        return false;
    }
}
