package io.quarkiverse.handoff.runtime.policy;

import java.util.Locale;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.policy.DeviceProfile;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPlanner;
import io.quarkiverse.handoff.policy.PlanningFacts;

/**
 * Plans a handoff: resolves the device profile, gathers the facts (device report, conversation turn, the cloud as
 * {@link CloudConditions} sees it) and asks the {@link HandoffPlanner} bean (by default the Drools rules).
 */
@ApplicationScoped
public class PolicyEngine {

    private final DeviceProfiles profiles;
    private final CloudConditions cloud;
    private final HandoffPlanner planner;

    @Inject
    public PolicyEngine(DeviceProfiles profiles, CloudConditions cloud, HandoffPlanner planner) {
        this.profiles = profiles;
        this.cloud = cloud;
        this.planner = planner;
    }

    /**
     * The plan for one request.
     *
     * @param continuatorName the continuator that would continue the reply, whose latency the plan must cover
     * @throws UnknownProfileException when the request names an unknown device profile
     */
    public HandoffPlan plan(HandoffRequest request, String continuatorName) {
        return planner.plan(facts(request, continuatorName));
    }

    /** The facts a plan for this request is decided on. */
    public PlanningFacts facts(HandoffRequest request, String continuatorName) {
        Objects.requireNonNull(request, "request");
        DeviceProfile profile = profiles.resolve(request.profile());
        PlanningFacts facts = PlanningFacts.of(profile, request.device());
        facts.setTurnIndex(request.conversation().turnIndex());
        cloud.expectedCloudFirstTokenMs(continuatorName).ifPresent(facts::setExpectedCloudFirstTokenMs);
        cloud.assumedCloudFirstTokenMs().ifPresent(facts::setAssumedCloudFirstTokenMs);
        cloud.expectedOpenerFirstWordMs().ifPresent(facts::setExpectedOpenerFirstWordMs);
        facts.setCloudReachable(cloud.isCloudReachable());
        normalize(facts);
        return facts;
    }

    /** The plan for hand-made facts (a CLI, a test, a what-if): no profile lookup, no cloud measurements. */
    public HandoffPlan explain(PlanningFacts facts) {
        Objects.requireNonNull(facts, "facts");
        normalize(facts);
        return planner.plan(facts);
    }

    public DeviceProfiles profiles() {
        return profiles;
    }

    public CloudConditions cloud() {
        return cloud;
    }

    /** Rules compare lower-case words ("serious", "sensitive"): devices may send any case. */
    private static void normalize(PlanningFacts facts) {
        if (facts.getThermalState() != null) {
            facts.setThermalState(facts.getThermalState().trim().toLowerCase(Locale.ROOT));
        }
        if (facts.getPrivacyLevel() != null) {
            facts.setPrivacyLevel(facts.getPrivacyLevel().trim().toLowerCase(Locale.ROOT));
        }
        if (facts.getProfile() != null) {
            facts.setProfile(facts.getProfile().trim().toLowerCase(Locale.ROOT));
        }
    }
}
