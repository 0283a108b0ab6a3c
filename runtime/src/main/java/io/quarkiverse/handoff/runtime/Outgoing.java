package io.quarkiverse.handoff.runtime;

import java.util.List;

import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.runtime.privacy.PersonalDataMask;
import io.smallrye.mutiny.Multi;

/** A request ready to leave the device and how to restore what comes back (null: nothing was masked). */
record Outgoing(ContinuationRequest request, PersonalDataMask.Restorer restorer) {

    /**
     * The request as it leaves the device: when its plan masks personal data, with placeholders, and a restorer that
     * puts the values back into the reply before the seam, so the seam and the user only see real values.
     */
    static Outgoing of(ContinuationRequest request) {
        if (!request.plan().maskPii()) {
            return new Outgoing(request, null);
        }
        PersonalDataMask.MaskedRequest masked = PersonalDataMask.mask(request);
        return new Outgoing(masked.request(), masked.mask().restorer());
    }

    /** The reply with the masked values put back. */
    Multi<String> restore(Multi<String> deltas) {
        return restorer == null ? deltas
                : deltas.onItem().transform(restorer::accept)
                        .onCompletion().continueWith(() -> List.of(restorer.finish()));
    }
}
