package io.quarkiverse.handoff.deployment.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A rule file that parses but refers to an unknown property fails the build with the file's name. */
class BrokenRulePropertyTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .addAsResource("policy/broken-property.drl", "com/acme/handoff/broken-property.drl")
                    .addAsResource(new StringAsset("quarkus.handoff.opener.enabled=false\n"),
                            "application.properties"))
            .assertException(t -> assertThat(RuleErrors.messages(t))
                    .contains("com/acme/handoff/broken-property.drl")
                    .contains("noSuchProperty")
                    .contains("line 8 (rule \"Acme: a rule about a property that does not exist\")")
                    .doesNotContain("policies/watch.drl does not compile"));

    @Test
    void buildFails() {
        // the build must fail: see assertException
    }
}
