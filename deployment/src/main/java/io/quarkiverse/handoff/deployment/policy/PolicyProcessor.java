package io.quarkiverse.handoff.deployment.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.drools.codegen.common.DroolsModelBuildContext;
import org.drools.codegen.common.GeneratedFile;
import org.drools.codegen.common.GeneratedFileType;
import org.drools.quarkus.util.deployment.DroolsQuarkusResourceUtils;
import org.jboss.logging.Logger;

import io.quarkiverse.handoff.policy.PlanDraft;
import io.quarkiverse.handoff.policy.PlanningFacts;
import io.quarkiverse.handoff.runtime.config.HandoffBuildConfig;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkiverse.handoff.runtime.policy.DeviceProfiles;
import io.quarkiverse.handoff.runtime.policy.DroolsHandoffPlanner;
import io.quarkiverse.handoff.runtime.policy.PolicyBuildConfig;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.GeneratedBeanBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.ArchiveRootBuildItem;
import io.quarkus.deployment.builditem.GeneratedResourceBuildItem;
import io.quarkus.deployment.builditem.HotDeploymentWatchedFileBuildItem;
import io.quarkus.deployment.builditem.LiveReloadBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.pkg.builditem.CurateOutcomeBuildItem;

/**
 * Compiles the handoff rules at build time.
 * <p>
 * drools-quarkus compiles only the application's own {@code src/main/resources} and the DIRECT dependencies listed
 * in {@code drools.asset.dependencies}; the default policies jar is a transitive dependency of the extension, so it
 * would be ignored. This step therefore runs the same executable-model code generation itself (drools-model-codegen
 * through drools-quarkus-util-deployment) on the rule files of the policies jar, found at any depth of the dependency
 * tree, TOGETHER with the application's handoff rule files, and registers the generated classes and a
 * {@code HandoffRules} bean that lists them. Nothing parses DRL at run time: native friendly. The application needs
 * no configuration.
 * <p>
 * It also checks every .drl file of the application and names the FILE in any compilation error (Drools alone reports
 * only line and rule), and it runs before drools-quarkus's own step so that this message is the one reported.
 */
public class PolicyProcessor {

    private static final Logger LOG = Logger.getLogger(PolicyProcessor.class);

    /** Rule files that refer to the planning types take part in planning. */
    static final String HANDOFF_MARKER = "io.quarkiverse.handoff.policy";

    @BuildStep
    AdditionalBeanBuildItem policyBeans() {
        return AdditionalBeanBuildItem.builder()
                .addBeanClasses(DeviceProfiles.class, CloudConditions.class, PolicyEngine.class,
                        DroolsHandoffPlanner.class)
                .setUnremovable()
                .build();
    }

    @BuildStep
    void compileHandoffRules(HandoffBuildConfig config,
            ArchiveRootBuildItem root,
            CurateOutcomeBuildItem curate,
            LiveReloadBuildItem liveReload,
            BuildProducer<GeneratedBeanBuildItem> generatedBeans,
            BuildProducer<GeneratedResourceBuildItem> generatedResources,
            BuildProducer<NativeImageResourceBuildItem> nativeResources,
            BuildProducer<ReflectiveClassBuildItem> reflectiveClasses,
            BuildProducer<HotDeploymentWatchedFileBuildItem> watchedFiles,
            BuildProducer<AdditionalIndexedClassesBuildItem> indexedClasses,
            BuildProducer<HandoffRulesBuildItem> handoffRules) {

        // Producing an index item orders this step before the combined index, hence before drools-quarkus's
        // generateSources (which consumes it): a broken rule file is reported here first, with its file name.
        indexedClasses.produce(new AdditionalIndexedClassesBuildItem(PlanningFacts.class.getName(),
                PlanDraft.class.getName()));

        // 1. find the rule files
        Set<String> artifacts = new LinkedHashSet<>();
        if (config.policy().defaultRules()) {
            artifacts.add(PolicyBuildConfig.DEFAULT_RULES_ARTIFACT);
        }
        config.policy().ruleArtifacts().ifPresent(list -> list.stream().map(String::trim).filter(s -> !s.isEmpty())
                .forEach(artifacts::add));
        List<String> missing = new ArrayList<>();
        List<RuleFile> dependencyFiles = RuleFiles.fromDependencies(curate.getApplicationModel(), artifacts, missing);
        for (String artifact : missing) {
            LOG.warnf("Handoff rules: the rule artifact %s is not a dependency of the application; its rules are not"
                    + " compiled (quarkus.handoff.policy.rule-artifacts)", artifact);
        }
        Set<String> seen = new HashSet<>();
        dependencyFiles.forEach(f -> seen.add(f.path()));
        List<RuleFile> applicationFiles = RuleFiles.fromApplication(root.getResolvedPaths(), seen);

        // 2. every file must parse: report syntax errors by file (all the application's .drl files, not only handoff
        //    ones, since drools-quarkus would report them without the file name)
        List<String> errors = new ArrayList<>();
        for (RuleFile file : concat(dependencyFiles, applicationFiles)) {
            List<String> syntax = HandoffRuleCompiler.syntaxErrors(file);
            if (!syntax.isEmpty()) {
                errors.add(HandoffRuleCompiler.fileMessage(file, syntax));
            }
        }
        if (!errors.isEmpty()) {
            throw new RuleFileException(String.join("\n", errors));
        }

        // 3. compile the default rules and the application's handoff rules together
        List<RuleFile> handoffFiles = new ArrayList<>(dependencyFiles);
        for (RuleFile file : applicationFiles) {
            boolean include = switch (config.policy().applicationRules()) {
                case ALL -> true;
                case NONE -> false;
                case HANDOFF -> file.text().contains(HANDOFF_MARKER);
            };
            if (include) {
                handoffFiles.add(file);
            }
        }
        DroolsModelBuildContext context = DroolsQuarkusResourceUtils.createDroolsBuildContext(root.getPaths(), null);
        HandoffRuleCompiler compiler = new HandoffRuleCompiler(context,
                curate.getApplicationModel().getRuntimeDependencies(), liveReload.isLiveReload());
        long start = System.nanoTime();
        HandoffRuleCompiler.Compiled compiled = compiler.compile(handoffFiles);
        LOG.debugf("Handoff rules: compiled %d rule files into %d models in %d ms: %s", handoffFiles.size(),
                compiled.modelClasses().size(), (System.nanoTime() - start) / 1_000_000,
                handoffFiles.stream().map(RuleFile::displayName).toList());

        // 4. register what was generated
        compiled.classes().forEach(generatedBeans::produce);
        for (GeneratedFile file : compiled.generatedFiles()) {
            if (file.category() == GeneratedFileType.Category.INTERNAL_RESOURCE) {
                generatedResources.produce(new GeneratedResourceBuildItem(file.relativePath(), file.contents(), true));
                nativeResources.produce(new NativeImageResourceBuildItem(file.relativePath()));
            }
        }
        Set<String> patternTypes = new LinkedHashSet<>();
        patternTypes.add(PlanningFacts.class.getName());
        patternTypes.add(PlanDraft.class.getName());
        compiled.patternTypes().forEach(c -> patternTypes.add(c.getName()));
        reflectiveClasses.produce(ReflectiveClassBuildItem.builder(patternTypes.toArray(String[]::new))
                .methods().fields().build());

        // 5. dev mode: a changed or new rule file restarts the application, which recompiles the rules
        for (RuleFile file : applicationFiles) {
            watchedFiles.produce(new HotDeploymentWatchedFileBuildItem(file.path(), true));
        }
        watchedFiles.produce(HotDeploymentWatchedFileBuildItem.builder()
                .setLocationPredicate(path -> path.endsWith(RuleFiles.DRL))
                .setRestartNeeded(true)
                .build());

        handoffRules.produce(new HandoffRulesBuildItem(handoffFiles, compiled.modelClasses()));
    }

    private static List<RuleFile> concat(List<RuleFile> a, List<RuleFile> b) {
        List<RuleFile> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
