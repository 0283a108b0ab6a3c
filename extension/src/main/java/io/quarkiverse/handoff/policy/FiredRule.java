package io.quarkiverse.handoff.policy;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One rule firing that decided a plan.
 *
 * @param name the rule's name
 * @param packageName the rule's package (the {@code package} line of its {@code .drl} file; {@code package} in JSON),
 *        which tells an application's rule from a default one of the same name; null for a decision taken outside the
 *        rules (e.g. the opener is disabled) and from a planner that knows its rules by name only
 * @param reasons what the rule said about its decision through {@link PlanDraft#because(String)}, in order; empty when
 *        it said nothing
 */
public record FiredRule(String name, @JsonProperty("package") String packageName, List<String> reasons) {

    public FiredRule {
        Objects.requireNonNull(name, "name");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** A decision taken outside the rules, named by the reason it was taken. */
    public static FiredRule outsideTheRules(String reason) {
        return new FiredRule(reason, null, List.of());
    }

    /** A rule of a planner that knows its rules by name only: no package, no reasons. */
    public static FiredRule nameOnly(String name) {
        return new FiredRule(name, null, List.of());
    }
}
