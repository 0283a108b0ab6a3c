package io.quarkiverse.handoff.runtime.policy;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.WithDefault;

/**
 * Build-time configuration of the handoff rules: which rule files are compiled into the planner.
 */
public interface PolicyBuildConfig {

    /** The artifact that ships the default rules. */
    String DEFAULT_RULES_ARTIFACT = "io.quarkiverse.handoff:quarkus-handoff-policies";

    /**
     * Whether the default rules (the {@code quarkus-handoff-policies} artifact) are compiled with the application's
     * own rule files. Disable it to plan with the application's rules alone.
     */
    @WithDefault("true")
    boolean defaultRules();

    /**
     * More dependencies, as {@code groupId:artifactId}, whose {@code .drl} files are compiled with the default rules
     * and the application's: a company-wide policy jar, for example. Unlike {@code drools.asset.dependencies}, they
     * may be reached transitively.
     */
    Optional<List<String>> ruleArtifacts();

    /**
     * Which of the application's own {@code .drl} files take part in planning: {@code handoff} (the files that refer to
     * {@code io.quarkiverse.handoff.policy}, leaving the application's other Drools rules alone) or {@code all}.
     */
    @WithDefault("handoff")
    ApplicationRules applicationRules();

    enum ApplicationRules {
        HANDOFF,
        ALL,
        NONE
    }
}
