package io.quarkiverse.handoff.deployment.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusDevModeTest;

/**
 * In dev mode, editing an application's rule file in src/main/resources changes the next plan: the rules are
 * recompiled on the reload that the next request triggers.
 */
class RuleHotReloadDevModeTest {

    static final String RULE_FILE = "com/acme/handoff/dev-tuning.drl";

    @RegisterExtension
    static final QuarkusDevModeTest devMode = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar
                    .addClass(PlanRoute.class)
                    .addAsResource("policy/dev-tuning.drl", RULE_FILE)
                    .addAsResource(new StringAsset(String.join("\n",
                            "quarkus.handoff.opener.enabled=false",
                            // other builds share the machine: any free port (the test reads the one chosen)
                            "quarkus.http.port=0",
                            "")), "application.properties"));

    @Test
    void anEditedRuleFileDecidesTheNextPlan() throws Exception {
        assertThat(planOf("watch")).startsWith("humorous\n").contains("Acme: watches recover with humor");

        devMode.modifyResourceFile(RULE_FILE, rules -> rules
                .replace("\"Acme: watches recover with humor\"", "\"Acme: watches recover explicitly\"")
                .replace("setRecoveryMethod( \"humorous\" )", "setRecoveryMethod( \"explicit\" )"));

        String after = planOf("watch");
        assertThat(after).startsWith("explicit\n").contains("Acme: watches recover explicitly")
                .doesNotContain("Acme: watches recover with humor");
        // the default rules are still there after the reload
        assertThat(after).contains("Watch: open with 5 words");
    }

    private static String planOf(String profile) throws IOException, InterruptedException {
        String port = System.getProperty("quarkus.http.port");
        assertThat(port).as("the port dev mode chose").isNotNull().isNotEqualTo("0");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/plan/" + profile)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
