package io.quarkiverse.handoff.deployment.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    static final Pattern LISTENING = Pattern.compile("Listening on: (http://[^\\s,]+)");

    @RegisterExtension
    static final QuarkusDevModeTest devMode = new QuarkusDevModeTest()
            .setLogRecordPredicate(record -> String.valueOf(record.getMessage()).contains("started in"))
            .withApplicationRoot(jar -> jar
                    .addClass(PlanRoute.class)
                    .addAsResource("policy/dev-tuning.drl", RULE_FILE)
                    .addAsResource(new StringAsset(String.join("\n",
                            "quarkus.handoff.opener.enabled=false",
                            // other builds share the machine: any free port (read from the startup log)
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

    /** The address dev mode listens on, from its startup line ("... Listening on: http://localhost:PORT"). */
    private static String baseUrl() {
        SimpleFormatter formatter = new SimpleFormatter();
        for (LogRecord record : devMode.getLogRecords()) {
            Matcher listening = LISTENING.matcher(formatter.formatMessage(record));
            if (listening.find()) {
                return listening.group(1);
            }
        }
        throw new AssertionError("no 'Listening on' line in the dev-mode startup log: " + devMode.getLogRecords());
    }

    private static String planOf(String profile) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/plan/" + profile)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
