package io.quarkiverse.handoff.deployment.policy;

import java.util.List;

import io.quarkus.builder.item.SimpleBuildItem;

/**
 * The handoff rules compiled at build time: the rule files and the generated executable-model classes.
 */
public final class HandoffRulesBuildItem extends SimpleBuildItem {

    private final List<RuleFile> ruleFiles;
    private final List<String> modelClasses;

    public HandoffRulesBuildItem(List<RuleFile> ruleFiles, List<String> modelClasses) {
        this.ruleFiles = List.copyOf(ruleFiles);
        this.modelClasses = List.copyOf(modelClasses);
    }

    public List<RuleFile> getRuleFiles() {
        return ruleFiles;
    }

    public List<String> getModelClasses() {
        return modelClasses;
    }
}
