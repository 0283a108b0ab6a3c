package io.quarkiverse.handoff.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The demo page at {@code /}, driven end to end in headless Chromium: a question and a profile in, the opener's words
 * and the continuation out in two colours, with the timings and the rules that fired.
 * <p>
 * Needs Debian's {@code chromium} and {@code chromium-driver} ({@code apt-get install -y chromium chromium-driver}),
 * which {@code .ci/run} installs. Where they are missing the browser test fails in CI (the {@code CI} environment
 * variable is set) and is skipped, saying how to install them, on a developer's machine.
 */
@QuarkusTest
@QuarkusTestResource(value = OpenAiServerResource.class, restrictToAnnotatedClass = true)
class DemoPageBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The colours of the page's stylesheet: --opener and --continuation. */
    static final String OPENER_COLOUR = "rgba(194, 65, 12, 1)";
    static final String CONTINUATION_COLOUR = "rgba(29, 78, 216, 1)";

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void reset() {
        OpenAiServerResource.server.reset();
        OpenAiServerResource.server.script(List.of(" starting", " now,", " I'll buzz", " when it's done."));
    }

    @Test
    void theDemoPageIsServedAtTheRoot() {
        given().when().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("v1/handoff"))
                .body(containsString("getReader()"));
        given().when().get("/v1/profiles").then().statusCode(200)
                .body("defaultProfile", org.hamcrest.Matchers.equalTo("phone"))
                .body("profiles.name", org.hamcrest.Matchers.hasItems("watch", "glasses", "phone", "earbuds",
                        "desktop"));
    }

    static void requireChromium() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String missing = "headless Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                + "): install it with 'apt-get install -y chromium chromium-driver' (Debian), as .ci/run does";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            fail("CI must run the browser test, but " + missing);
        }
        abort(missing);
    }

    @Test
    void theOpenerAndTheContinuationAppearInTwoColoursWithTimingsAndRules() throws IOException {
        requireChromium();
        Path profileDir = Files.createTempDirectory("handoff-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,800", "--user-data-dir=" + profileDir);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.get(root.toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            // the profiles come from GET /v1/profiles
            wait.until(d -> d.findElement(By.cssSelector("#profile option")).getText().contains("("));
            // before any reply: no continuator is named yet, and the placeholders are not numbered as rules
            assertThat(driver.findElement(By.id("continuator-name")).getText()).isEmpty();
            assertThat(driver.findElement(By.cssSelector("#rules li.empty")).getCssValue("list-style-type"))
                    .isEqualTo("none");
            assertThat(driver.findElement(By.cssSelector("link[rel=icon]")).getAttribute("href"))
                    .as("an inline icon: the page asks for no favicon.ico").startsWith("data:");
            new Select(driver.findElement(By.id("profile"))).selectByValue("watch");
            WebElement question = driver.findElement(By.id("question"));
            question.clear();
            question.sendKeys("Set a timer for 10 minutes");
            driver.findElement(By.id("ask")).click();

            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Done in"));

            List<WebElement> openerWords = driver.findElements(By.cssSelector("#reply span.opener"));
            List<WebElement> continuation = driver.findElements(By.cssSelector("#reply span.continuation"));
            assertThat(openerWords).as("the opener's words, one span each").isNotEmpty();
            assertThat(continuation).hasSize(1);
            String opener = openerWords.stream().map(WebElement::getText).reduce("", String::concat);
            assertThat(opener).isNotBlank();
            assertThat(continuation.get(0).getText()).endsWith("I'll buzz when it's done.");

            assertThat(driver.findElement(By.id("continuator-name")).getText()).as("the handoff's continuator")
                    .matches(" ?\\(.+\\)");
            String openerColour = openerWords.get(0).getCssValue("color");
            String continuationColour = continuation.get(0).getCssValue("color");
            assertThat(openerColour).isEqualTo(OPENER_COLOUR);
            assertThat(continuationColour).isEqualTo(CONTINUATION_COLOUR);
            assertThat(openerColour).isNotEqualTo(continuationColour);

            String timings = driver.findElement(By.id("timings")).getText();
            assertThat(timings).contains("opener first word", "cloud first token", "seam gap", "total")
                    .containsPattern("total\\s+\\d+\\.\\d ms");
            List<WebElement> rules = driver.findElements(By.cssSelector("#rules li"));
            assertThat(rules).isNotEmpty();
            assertThat(rules.get(0).getAttribute("class")).isNotEqualTo("empty");
            assertThat(rules.get(0).getText()).isNotBlank();
            assertThat(driver.findElement(By.id("facts")).getText()).contains("strategy").contains("degraded");

            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = Path.of("target", "demo-page.png");
            Files.createDirectories(target.getParent());
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            driver.quit();
        }
    }
}
