package io.quarkiverse.handoff.deployment.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * A rule whose consequence is not valid Java fails when the generated code is compiled: the build still names the
 * rule file (found by compiling the application's files one at a time).
 */
class BrokenRuleConsequenceTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .addAsResource("policy/acme-overrides.drl", "com/acme/handoff/acme-overrides.drl")
                    .addAsResource("policy/broken-consequence.drl", "com/acme/handoff/broken-consequence.drl")
                    .addAsResource(new StringAsset("quarkus.handoff.opener.enabled=false\n"),
                            "application.properties"))
            .assertException(t -> assertThat(RuleErrors.messages(t))
                    .contains("com/acme/handoff/broken-consequence.drl")
                    .contains("line 11 (rule \"Acme: a consequence that is not valid Java\")")
                    .doesNotContain("acme-overrides.drl (")
                    .doesNotContain("common.drl ("));

    @Test
    void buildFails() {
        // the build must fail: see assertException
    }
}
