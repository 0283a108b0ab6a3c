package io.quarkiverse.handoff.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The extension's Micrometer meters, read from the Prometheus endpoint of the sample after handoffs.
 */
@QuarkusTest
@QuarkusTestResource(value = OpenAiServerResource.class, restrictToAnnotatedClass = true)
class HandoffMetricsTest {

    @BeforeEach
    void reset() {
        OpenAiServerResource.server.reset();
        OpenAiServerResource.server.script(List.of(" starting", " now,", " I'll buzz", " when it's done."));
    }

    private static void handoff(String profile) {
        given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"Set a timer for 10 minutes\"}],\"profile\":\""
                        + profile + "\"}")
                .when().post("/v1/handoff").then().statusCode(200).extract().asString();
    }

    private static String metrics() {
        return given().accept("text/plain").when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the first sample of that name whose labels contain every given label. */
    static double sample(String metrics, String name, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} ([0-9.eE+-]+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(metrics);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            String labelText = m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= labelText.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        return found ? sum : -1;
    }

    @Test
    void theTimersAndCountersCountEveryHandoff() {
        String start = metrics();
        double before = Math.max(0, sample(start, "handoff_handoffs_total", "profile=\"desktop\""));
        double stopsBefore = Math.max(0, sample(start, "handoff_opener_stops_total", "profile=\"desktop\""));
        handoff("desktop");
        handoff("desktop");
        String metrics = metrics();

        for (String timer : List.of("handoff_opener_first_token_seconds", "handoff_opener_first_word_seconds",
                "handoff_cloud_first_token_seconds", "handoff_seam_gap_seconds", "handoff_total_seconds")) {
            assertThat(sample(metrics, timer + "_count", "profile=\"desktop\"")).as(timer + "_count in\n" + metrics)
                    .isGreaterThanOrEqualTo(2);
            assertThat(sample(metrics, timer + "_sum", "profile=\"desktop\"")).as(timer + "_sum").isPositive();
        }
        assertThat(sample(metrics, "handoff_handoffs_total", "profile=\"desktop\"", "degraded=\"false\""))
                .isGreaterThanOrEqualTo(before + 2);
        // the demo opener reports where it stopped: one count per handoff, under its reason
        assertThat(sample(metrics, "handoff_opener_stops_total", "profile=\"desktop\"", "reason=\""))
                .as("handoff_opener_stops_total in\n" + metrics).isGreaterThanOrEqualTo(stopsBefore + 2);
    }

    @Test
    void degradedHandoffsAreCountedWithTheLocalStrategy() {
        OpenAiServerResource.server.failWith(500);
        handoff("earbuds");
        String metrics = metrics();
        assertThat(sample(metrics, "handoff_degraded_total", "profile=\"earbuds\"")).isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "handoff_handoffs_total", "profile=\"earbuds\"", "strategy=\"local\"",
                "degraded=\"true\"")).isGreaterThanOrEqualTo(1);
    }
}
