package io.quarkiverse.handoff.deployment.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusDevModeTest;

/**
 * In dev mode, editing an application rule file changes the next plan: the rules are recompiled on the reload that the
 * next request triggers, without restarting {@code quarkus dev}.
 */
class RuleHotReloadTest {

    static final String RULES = "com/acme/handoff/rules.drl";
    /**
     * A free port: dev mode listens on 8080 otherwise, where another build's dev-mode test may be answering (with its
     * own rules); RestAssured is told it, as the dev-mode test would only use 8080.
     */
    static final int PORT = freePort();

    @RegisterExtension
    static final QuarkusDevModeTest devMode = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar
                    .addClass(PlanRoute.class)
                    .addAsResource(new StringAsset(rule("Acme: watches open with 3 words", 3)), RULES)
                    .addAsResource(new StringAsset("quarkus.handoff.opener.enabled=false\nquarkus.http.port=" + PORT
                            + "\n"), "application.properties"));

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the dev-mode application", e);
        }
    }

    /** A rule that runs after every default (salience 100) and fixes the watch's opener length. */
    static String rule(String name, int words) {
        return String.join("\n",
                "package com.acme.handoff;",
                "import io.quarkiverse.handoff.policy.PlanningFacts;",
                "import io.quarkiverse.handoff.policy.PlanDraft;",
                "rule \"" + name + "\"",
                "    salience 100",
                "when",
                "    PlanningFacts( profile == \"watch\" )",
                "    $draft : PlanDraft()",
                "then",
                "    $draft.setOpenerWords( " + words + " );",
                "end",
                "");
    }

    @Test
    void anEditedRuleFileTakesEffectOnTheNextRequest() {
        given().port(PORT).when().get("/test/plan/watch").then().statusCode(200)
                .body("openerWords", equalTo(3))
                .body("firedRules.toString()", containsString("Acme: watches open with 3 words"));

        devMode.modifyResourceFile(RULES, rules -> rules.replace("with 3 words", "with 7 words")
                .replace("setOpenerWords( 3 )", "setOpenerWords( 7 )"));

        given().port(PORT).when().get("/test/plan/watch").then().statusCode(200)
                .body("openerWords", equalTo(7))
                .body("firedRules.toString()", containsString("Acme: watches open with 7 words"));
    }
}
