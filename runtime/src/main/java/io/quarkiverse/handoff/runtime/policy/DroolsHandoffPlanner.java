package io.quarkiverse.handoff.runtime.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.drools.model.Model;
import org.drools.modelcompiler.KieBaseBuilder;
import org.jboss.logging.Logger;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;

import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.policy.DeviceProfile;
import io.quarkiverse.handoff.policy.FiredRule;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPlanner;
import io.quarkiverse.handoff.policy.PlanDraft;
import io.quarkiverse.handoff.policy.PlanningFacts;
import io.quarkiverse.handoff.runtime.BackgroundThread;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import io.quarkus.arc.DefaultBean;

/**
 * The default planner: fires the rules compiled at build time (default policies + the application's rule files) on a
 * fresh {@link PlanDraft} and the request's {@link PlanningFacts}, and reports the rules that fired, in order, each
 * with its package and the reasons it gave ({@link PlanDraft#because(String)}).
 * An application replaces it by declaring its own {@link HandoffPlanner} bean.
 */
@DefaultBean
@ApplicationScoped
public class DroolsHandoffPlanner implements HandoffPlanner {

    private static final Logger LOG = Logger.getLogger(DroolsHandoffPlanner.class);

    /** More firings than this for one plan means a rule re-triggers itself. */
    static final int MAX_FIRINGS = 500;

    /** Null when the build compiled no rules. */
    private final HandoffRules rules;
    private final List<String> ruleFiles;
    private volatile KieBase kieBase;
    private final AtomicBoolean warmUpStarted = new AtomicBoolean();
    private volatile boolean warm;
    private volatile Throwable warmUpFailure;

    @Inject
    public DroolsHandoffPlanner(Instance<HandoffRules> rules) {
        this(rules.isResolvable() ? rules.get() : null);
    }

    public DroolsHandoffPlanner(HandoffRules rules) {
        if (rules == null) {
            LOG.warn("No compiled handoff rules found: plans use the PlanDraft defaults only");
        }
        // the models are instantiated with the rule base, in the warm-up's thread: creating them loads hundreds of
        // rule classes, which would otherwise hold up the thread that creates this bean (Quarkus's start)
        this.rules = rules;
        this.ruleFiles = rules == null ? List.of() : List.copyOf(rules.ruleFiles());
    }

    /**
     * Builds the rule base and makes a dry plan per built-in profile, so that the first request does not pay for
     * loading the rule classes (deployment/bench/planning-benchmark.md shows the difference): once, in the background,
     * when this planner is the application's, started early in the run time's initialization by
     * BackgroundStartRecorder. Readiness waits for it ({@link #isWarm()}); a request that comes earlier waits for the
     * rule base.
     */
    public void startWarmUp() {
        if (inUse() && warmUpStarted.compareAndSet(false, true)) {
            BackgroundThread.start("handoff-rules-warm-up", this::warmUp);
        }
    }

    /**
     * Whether this is the planner the application plans with: an application that declares its own
     * {@link HandoffPlanner} replaces it, and this bean then stays unused (and is not warmed).
     */
    public boolean inUse() {
        return ClientProxy.unwrap(Arc.container().instance(HandoffPlanner.class).get()) == this;
    }

    private void warmUp() {
        long start = System.nanoTime();
        try {
            for (DeviceProfile profile : DeviceProfiles.BUILT_IN) {
                PlanningFacts dryRun = PlanningFacts.of(profile, DeviceFacts.NONE);
                dryRun.setAssumedCloudFirstTokenMs(1200.0);
                plan(dryRun);
            }
            warm = true;
            LOG.debugf("Handoff rules warmed in %.0f ms", (System.nanoTime() - start) / 1e6);
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "The handoff rules failed their warm-up (a plan for each built-in profile): %s",
                    e.getMessage());
            warmUpFailure = e;
        }
    }

    /** Whether the warm-up started (it may be done). */
    public boolean isWarmUpStarted() {
        return warmUpStarted.get();
    }

    /** Whether the rule base is built and its rules have fired once (the startup warm-up is done). */
    public boolean isWarm() {
        return warm;
    }

    /** Why the warm-up failed (a rule that throws, for instance), when it did. */
    public Optional<Throwable> warmUpFailure() {
        return Optional.ofNullable(warmUpFailure);
    }

    @Override
    public HandoffPlan plan(PlanningFacts facts) {
        Objects.requireNonNull(facts, "facts");
        PlanDraft draft = new PlanDraft();
        List<FiredRule> fired = new ArrayList<>();
        KieSession session = kieBase().newKieSession();
        try {
            session.addEventListener(new DefaultAgendaEventListener() {
                /** How many reasons the draft held when the firing rule started: the ones after are its own. */
                private int reasonsBefore;

                @Override
                public void beforeMatchFired(BeforeMatchFiredEvent event) {
                    reasonsBefore = draft.getReasons().size();
                }

                @Override
                public void afterMatchFired(AfterMatchFiredEvent event) {
                    Rule rule = event.getMatch().getRule();
                    List<String> reasons = draft.getReasons();
                    fired.add(new FiredRule(rule.getName(), rule.getPackageName(),
                            reasons.subList(reasonsBefore, reasons.size())));
                }
            });
            session.insert(facts);
            session.insert(draft);
            int count = session.fireAllRules(MAX_FIRINGS);
            if (count >= MAX_FIRINGS) {
                throw new IllegalStateException("The handoff rules fired " + count
                        + " times for one plan: a rule re-triggers itself (modify/update in a loop?). First rules: "
                        + fired.subList(0, Math.min(20, fired.size())).stream().map(FiredRule::name).toList());
            }
        } finally {
            session.dispose();
        }
        return draft.freeze(facts.getProfile() != null ? facts.getProfile() : "unknown", fired);
    }

    /** The names of every compiled rule, by package ({@code package: rule}), for tools and diagnostics. */
    public List<String> ruleNames() {
        List<String> names = new ArrayList<>();
        for (KiePackage pkg : kieBase().getKiePackages()) {
            for (Rule rule : pkg.getRules()) {
                names.add(pkg.getName() + ": " + rule.getName());
            }
        }
        names.sort(null);
        return names;
    }

    /** The rule files compiled at build time. */
    public List<String> ruleFiles() {
        return ruleFiles;
    }

    private KieBase kieBase() {
        KieBase kb = kieBase;
        if (kb == null) {
            synchronized (this) {
                kb = kieBase;
                if (kb == null) {
                    List<Model> models = rules == null ? List.of() : rules.models();
                    kb = KieBaseBuilder.createKieBaseFromModel(models);
                    kieBase = kb;
                    LOG.debugf("Handoff rules loaded from %d rule files", ruleFiles.size());
                }
            }
        }
        return kb;
    }
}
