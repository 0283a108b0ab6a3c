package io.quarkiverse.handoff;

import java.util.Objects;

import io.quarkiverse.handoff.policy.CloudRequest;
import io.quarkiverse.handoff.policy.DeviceFacts;

/**
 * One request for a reply.
 *
 * @param conversation the conversation, the user's latest message last
 * @param profile the device profile name (watch, glasses, phone, earbuds, desktop or a custom one)
 * @param device what the device reports about itself
 * @param limits what the caller asks of the reply, applied over the plan the rules chose: the cloud request gets
 *        the smaller token limit and temperature of the two and the caller's stop sequences besides the plan's, the
 *        opener samples at the smaller temperature. A caller can narrow the plan, never widen it.
 *        {@link CloudRequest#PROVIDER_DEFAULTS} asks nothing
 */
public record HandoffRequest(Conversation conversation, String profile, DeviceFacts device, CloudRequest limits) {

    public HandoffRequest {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(profile, "profile");
        device = device == null ? DeviceFacts.NONE : device;
        limits = limits == null ? CloudRequest.PROVIDER_DEFAULTS : limits;
    }

    /** A request that leaves the reply's shape to the plan. */
    public HandoffRequest(Conversation conversation, String profile, DeviceFacts device) {
        this(conversation, profile, device, CloudRequest.PROVIDER_DEFAULTS);
    }
}
