package io.quarkiverse.handoff.deployment.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Re-using a default rule's name in the defaults' package fails the build (override with an activation-group
 * instead), naming the files.
 */
class DuplicateRuleNameTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .addAsResource("policy/duplicate-default-name.drl",
                            "io/quarkiverse/handoff/policies/acme-watch.drl")
                    .addAsResource(new StringAsset("quarkus.handoff.opener.enabled=false\n"),
                            "application.properties"))
            .assertException(t -> assertThat(RuleErrors.messages(t))
                    .contains("acme-watch.drl")
                    .containsIgnoringCase("duplicate"));

    @Test
    void buildFails() {
        // the build must fail: see assertException
    }
}
