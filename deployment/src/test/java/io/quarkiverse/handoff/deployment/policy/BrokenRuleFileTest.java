package io.quarkiverse.handoff.deployment.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A rule file with a syntax error fails the build with the file's name and the line. */
class BrokenRuleFileTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .addAsResource("policy/broken-syntax.drl", "com/acme/handoff/broken-syntax.drl")
                    .addAsResource(new StringAsset("quarkus.handoff.opener.enabled=false\n"),
                            "application.properties"))
            .assertException(t -> assertThat(RuleErrors.messages(t))
                    .contains("com/acme/handoff/broken-syntax.drl")
                    .containsPattern("line \\d+:\\d+ mismatched input")
                    .contains("does not compile"));

    @Test
    void buildFails() {
        // the build must fail: see assertException
    }
}
