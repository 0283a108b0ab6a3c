package io.quarkiverse.handoff.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.sample.cli.ScriptedJudge.Answer;
import io.quarkiverse.handoff.sample.eval.EvalConversation;
import io.quarkiverse.handoff.sample.eval.EvalPrompts;
import io.quarkiverse.handoff.sample.eval.EvalReport;
import io.quarkiverse.handoff.sample.eval.Judge;
import io.quarkiverse.handoff.sample.eval.OpenerChecks;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * {@code eval} through the application's real main, on embedded defaults (the demo opener model and the embedded
 * continuator), with a scripted judge server where a judge is asked.
 */
@QuarkusMainTest
class EvalCommandTest {

    /** Markup, quotes and a comma in user text: the report must escape it and the CSV must quote it. */
    static final String TRICKY_PROMPT = "Is <b>5 < 7</b>, \"really\"?";

    @AfterEach
    void letTheOpenerLoaderFinish() throws InterruptedException {
        CliTest.awaitOpenerLoader();
    }

    @Test
    void theDefaultSetRunsThroughRealHandoffsAndWritesTheTableTheCsvAndTheReport(QuarkusMainLauncher launcher,
            @TempDir Path dir) throws IOException {
        Path out = dir.resolve("results");
        LaunchResult result = launcher.launch("eval", "--out", out.toString());
        assertThat(result.exitCode()).as("stderr: %s", result.getErrorOutput()).isZero();

        List<EvalConversation> set = EvalPrompts.defaultSet(CliTest.MAPPER);
        List<Map<String, String>> rows = csv(out.resolve(EvalReport.CSV));
        assertThat(rows).hasSameSizeAs(set);
        for (int i = 0; i < set.size(); i++) {
            Map<String, String> row = rows.get(i);
            EvalConversation conversation = set.get(i);
            assertThat(row.get("line")).isEqualTo(Integer.toString(conversation.line()));
            assertThat(row.get("category")).isEqualTo(conversation.category());
            assertThat(row.get("prompt")).isEqualTo(conversation.conversation().lastUserMessage());
            assertThat(row.get("profile")).isEqualTo("phone");
            assertThat(row.get("failure")).as("row %s", row).isEmpty();
            assertThat(row.get("continuator")).isEqualTo("embedded");
            assertThat(row.get("opener_words"))
                    .isEqualTo(Integer.toString(OpenerChecks.words(row.get("opener")).size()));
            assertThat(row.get("opener_score")).isEmpty();
            // the opener reported where and why it stopped; a guard stop is exactly a stop before an ungrounded fact
            assertThat(row.get("opener_stop")).as("row %s", row).isNotEmpty();
            assertThat(row.get("guard_stop")).as("row %s", row)
                    .isEqualTo(row.get("opener_stop").startsWith("ungrounded-fact ") ? "yes" : "no");
        }
        // the grounding guard stops some openers of the default set right before a number or name the request
        // lacks (the capital of Peru, the ounces in a pound), which the continuation does not say either: no cloud.
        // A SAFETY stop is before a stance, not a fact: a decline of a harmless request may stop before any word
        List<Map<String, String>> guardStops = rows.stream().filter(r -> r.get("guard_stop").equals("yes")).toList();
        assertThat(guardStops).isNotEmpty().allSatisfy(row -> {
            Matcher before = Pattern.compile("ungrounded-fact before \"(.+)\"").matcher(row.get("opener_stop"));
            assertThat(before.matches()).as("row %s", row).isTrue();
            assertThat(FactClass.valueOf(row.get("opener_stop_fact"))).as("row %s", row).isNotNull();
            String word = before.group(1).replaceAll("^\\p{Punct}+|\\p{Punct}+$", "").toLowerCase(Locale.ROOT);
            if (!row.get("opener_stop_fact").equals(FactClass.SAFETY.name())) {
                assertThat(row.get("prompt").toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")).as("row %s", row)
                        .doesNotContain(word);
            }
            assertThat(row.get("continuation")).as("row %s", row).endsWith("Sorry, I can't finish this answer right now.");
        });

        // the table's figures are those of the rows: one line per category, then all
        List<String> table = result.getOutput().lines().filter(line -> !line.isBlank()).toList();
        assertThat(table.get(0)).startsWith("category").contains("opener", "ungrounded", "made-up", "repeats",
                "guard", "corrections", "degraded", "first word").doesNotContain("score");
        List<String> categories = set.stream().map(EvalConversation::category).distinct().toList();
        for (String category : categories) {
            long n = set.stream().filter(c -> c.category().equals(category)).count();
            assertThat(table).anyMatch(line -> line.matches(category + "\\s+" + n + "\\s.*"));
        }
        long ungrounded = rows.stream().filter(r -> !r.get("ungrounded").isEmpty()).count();
        String all = table.stream().filter(line -> line.startsWith(EvalReport.ALL + " ")).findFirst().orElseThrow();
        assertThat(all.split("\\s+")[1]).isEqualTo(Integer.toString(set.size()));
        assertThat(all.split("\\s+")[3]).as("%% ungrounded in: %s", all)
                .isEqualTo(String.format(Locale.ROOT, "%.0f", 100.0 * ungrounded / set.size()));
        assertThat(all.split("\\s+")[6]).as("guard stops in: %s", all).isEqualTo(Integer.toString(guardStops.size()));
        assertThat(table.get(table.size() - 1))
                .isEqualTo("wrote " + out.resolve(EvalReport.HTML) + " and " + out.resolve(EvalReport.CSV));

        String html = Files.readString(out.resolve(EvalReport.HTML));
        for (String category : categories) {
            assertThat(html).contains("<h2 id=\"category-" + category + "\">" + category + "</h2>");
        }
        assertThat(html).contains("Ring my dentist&#39;s office").doesNotContain("dentist's office")
                .contains("SCOWL size 35").contains("grounding guard: on; the opener stopped: <b>ungrounded-fact "
                        + "before &quot;");
        // progress: one line per handoff on stderr
        assertThat(result.getErrorOutput()).contains("eval: [1/" + set.size() + "] how-to, line 1, phone: \"",
                "eval: [" + set.size() + "/" + set.size() + "] refusals, line " + set.size() + ", phone: ");
    }

    @Test
    void aCustomPromptFileRunsEachConversationOnItsProfileOrOnEachGivenOneAndEscapesUserText(
            QuarkusMainLauncher launcher, @TempDir Path dir) throws IOException {
        Path prompts = Files.writeString(dir.resolve("mine.jsonl"), String.join("\n",
                "{\"category\": \"markup & \\\"quotes\\\"\", \"messages\": [{\"role\": \"user\", \"content\": "
                        + CliTest.MAPPER.writeValueAsString(TRICKY_PROMPT) + "}]}",
                "",
                "{\"category\": \"follow-ups\", \"profile\": \"watch\", \"messages\": [{\"role\": \"user\", "
                        + "\"content\": \"Set a timer for 10 minutes\"}, {\"role\": \"assistant\", \"content\": "
                        + "\"Okay, 10 minutes.\"}, {\"role\": \"user\", \"content\": \"Make it 15\"}]}"));
        Path out = dir.resolve("out");
        LaunchResult result = launcher.launch("eval", prompts.toString(), "--profile", "phone,glasses",
                "--samples", "2", "--out", out.toString(), "--json");
        JsonNode figures = CliTest.json(result);
        assertThat(figures.get("categories")).extracting(c -> c.get("category").asText() + " " + c.get("n").asInt())
                .containsExactly("markup & \"quotes\" 4", "follow-ups 2", "all 6");
        assertThat(figures.get("categories").get(2).get("meanOpenerWords").isNumber()).isTrue();
        assertThat(figures.get("categories").get(2).has("meanOpenerScore")).as("no judge, no scores").isFalse();
        assertThat(figures.get("report").asText()).isEqualTo(out.resolve(EvalReport.HTML).toString());

        List<Map<String, String>> rows = csv(out.resolve(EvalReport.CSV));
        assertThat(rows).extracting(r -> r.get("line") + " " + r.get("profile") + " #" + r.get("sample"))
                .containsExactly("1 phone #1", "1 phone #2", "1 glasses #1", "1 glasses #2", "3 watch #1",
                        "3 watch #2");
        assertThat(rows.get(0).get("prompt")).isEqualTo(TRICKY_PROMPT);
        assertThat(rows.get(0).get("category")).isEqualTo("markup & \"quotes\"");
        assertThat(rows.get(4).get("turns")).isEqualTo("2");
        assertThat(rows.get(4).get("prompt")).isEqualTo("Make it 15");

        String html = Files.readString(out.resolve(EvalReport.HTML));
        assertThat(html).doesNotContain("<b>5").contains("Is &lt;b&gt;5 &lt; 7&lt;/b&gt;, &quot;really&quot;?")
                .contains(">markup &amp; &quot;quotes&quot;</h2>").contains("phone, glasses, watch")
                .contains("2 samples per conversation");
        assertThat(result.getErrorOutput()).contains("eval: [6/6] follow-ups, line 3, watch #2: ");
    }

    @Test
    void badInputIsOneLineNamingTheFileAndLineWithExitCodeTwo(QuarkusMainLauncher launcher, @TempDir Path dir)
            throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.jsonl"),
                "{\"category\": \"a\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}\n"
                        + "{\"category\": \"a\", \"messages\": [{\"role\": \"robot\", \"content\": \"Hi\"}]}\n");
        LaunchResult badRole = launcher.launch("eval", bad.toString(), "--out", dir.resolve("out").toString());
        assertThat(badRole.exitCode()).isEqualTo(2);
        CliTest.assertOneLineError(badRole, bad + ":2: messages[0]: unknown message role 'robot': use one of "
                + "system, user, assistant", "eval --help");

        Path unknownProfile = Files.writeString(dir.resolve("profile.jsonl"),
                "{\"category\": \"a\", \"profile\": \"moon\", \"messages\": [{\"role\": \"user\", \"content\": "
                        + "\"Hi\"}]}\n");
        LaunchResult moon = launcher.launch("eval", "--prompts", unknownProfile.toString());
        assertThat(moon.exitCode()).isEqualTo(2);
        CliTest.assertOneLineError(moon, unknownProfile + ":1: unknown device profile 'moon': use one of ",
                "or leave 'profile' out");

        LaunchResult badOptions = launcher.launch("eval", "--profile", "moon", "--samples", "0", "--judge-url",
                "localhost:8000");
        assertThat(badOptions.exitCode()).isEqualTo(2);
        CliTest.assertOneLineError(badOptions, "--profile: unknown device profile 'moon', known: watch",
                "--samples must be at least 1, got 0", "--judge-url must be an http:// or https:// URL");

        LaunchResult missing = launcher.launch("eval", dir.resolve("missing.jsonl").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        CliTest.assertOneLineError(missing, "cannot read the prompt set " + dir.resolve("missing.jsonl")
                + ": no such file or directory");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aJudgeGradesEachOpenerAndEachReplyOnTheRubricAndTheScoresAreReported(QuarkusMainLauncher launcher,
            @TempDir Path dir) throws Exception {
        Path prompts = Files.writeString(dir.resolve("two.jsonl"),
                "{\"category\": \"arithmetic\", \"messages\": [{\"role\": \"user\", \"content\": \"What is 17 times "
                        + "23?\"}]}\n{\"category\": \"how-to\", \"messages\": [{\"role\": \"user\", \"content\": "
                        + "\"How do I boil an egg?\"}]}\n");
        Path out = dir.resolve("out");
        // the first request loses its connection, as a kept-alive one closed by the server: asked again, it is graded
        try (ScriptedJudge judge = new ScriptedJudge(List.of(Answer.dropConnection()),
                Answer.content("```json\n{\"grade\": 2, \"reason\": \"a <right> start\"}\n```"))) {
            LaunchResult result = launcher.launch("eval", prompts.toString(), "--profile", "watch", "--out",
                    out.toString(), "--judge-url", judge.baseUrl(), "--judge-model", "judge-test",
                    "--judge-api-key", "test-key");
            assertThat(result.exitCode()).as("stderr: %s", result.getErrorOutput()).isZero();
            assertThat(result.getErrorOutput()).doesNotContain("warning");

            List<Map<String, String>> rows = csv(out.resolve(EvalReport.CSV));
            assertThat(rows).hasSize(2);
            List<ScriptedJudge.Received> requests = judge.received();
            List<ScriptedJudge.Received> openerRequests = requests.stream()
                    .filter(r -> r.system().equals(rubric(Judge.OPENER_RUBRIC))).toList();
            List<ScriptedJudge.Received> replyRequests = requests.stream()
                    .filter(r -> r.system().equals(rubric(Judge.REPLY_RUBRIC))).toList();
            assertThat(replyRequests).hasSize(2);
            assertThat(openerRequests.size() + replyRequests.size()).isEqualTo(requests.size());
            for (ScriptedJudge.Received request : requests) {
                assertThat(request.path()).isEqualTo("/v1/chat/completions");
                assertThat(request.authorization()).isEqualTo("Bearer test-key");
                assertThat(request.body().getString("model")).isEqualTo("judge-test");
                assertThat(request.body().getBoolean("stream")).isFalse();
            }
            for (int i = 0; i < rows.size(); i++) {
                Map<String, String> row = rows.get(i);
                String opener = row.get("opener");
                if (opener.isEmpty()) {
                    assertThat(row.get("opener_score")).isEmpty();
                } else {
                    assertThat(openerRequests).anyMatch(r -> r.user().contains("user: " + row.get("prompt"))
                            && r.user().contains("Opener to grade: \"" + opener + "\""));
                    assertThat(row.get("opener_score")).isEqualTo("2");
                }
                assertThat(replyRequests.get(i).user()).contains("user: " + row.get("prompt"),
                        "Continuation: \"" + row.get("continuation") + "\"");
                assertThat(row.get("reply_score")).isEqualTo("2");
                assertThat(row.get("judge_note")).contains("reply: a <right> start");
            }
            assertThat(openerRequests).hasSize((int) rows.stream().filter(r -> !r.get("opener").isEmpty()).count())
                    .isNotEmpty();

            String all = result.getOutput().lines().filter(line -> line.startsWith(EvalReport.ALL + " "))
                    .findFirst().orElseThrow();
            assertThat(all).endsWith("2.00       100    2.00");
            assertThat(result.getOutput()).contains("score");
            String html = Files.readString(out.resolve(EvalReport.HTML));
            assertThat(html).contains("reply <b>2</b>: a &lt;right&gt; start", "judge-test at " + judge.baseUrl(),
                    "grounded and right");
        }
    }

    @Test
    void aJudgeThatAnswersGarbageOrFailsLeavesTheHandoffsUngradedWithAWarningAndExitCodeZero(
            QuarkusMainLauncher launcher, @TempDir Path dir) throws Exception {
        Path prompts = Files.writeString(dir.resolve("three.jsonl"), String.join("\n",
                line("greetings", "Hi, how are you today?"), line("reminders", "Remind me to call mom"),
                line("weather", "Should I wear a coat today?")));
        Path out = dir.resolve("out");
        // the first opener's grade is no grade, then three HTTP errors in a row: the judge is not asked again
        try (ScriptedJudge judge = new ScriptedJudge(List.of(Answer.content("I would say it is quite fine.")),
                Answer.httpError(500, "the judge broke"))) {
            LaunchResult result = launcher.launch("eval", prompts.toString(), "--profile", "phone", "--out",
                    out.toString(), "--judge-url", judge.baseUrl() + "/chat/completions");
            assertThat(result.exitCode()).as("stderr: %s", result.getErrorOutput()).isZero();
            String endpoint = judge.baseUrl() + "/chat/completions";
            assertThat(result.getErrorOutput()).contains(
                    "warning: judge: the judge at " + endpoint + " answered HTTP 500 (the judge broke)",
                    "3 failures in a row: the judge is not asked again, the rest is ungraded",
                    "warning: the judge graded 0 of ").doesNotContain("Exception");
            assertThat(judge.received()).as("a garbage answer, then three failures in a row").hasSize(4);

            List<Map<String, String>> rows = csv(out.resolve(EvalReport.CSV));
            assertThat(rows).hasSize(3).allSatisfy(row -> {
                assertThat(row.get("failure")).isEmpty();
                assertThat(row.get("opener_score")).isEmpty();
                assertThat(row.get("reply_score")).isEmpty();
            });
            assertThat(rows.get(0).get("judge_note")).contains("holds no grade: \"I would say it is quite fine.\"");
            assertThat(rows.get(2).get("judge_note")).contains("not asked: the judge failed 3 times in a row");
            String all = result.getOutput().lines().filter(line -> line.startsWith(EvalReport.ALL + " "))
                    .findFirst().orElseThrow();
            assertThat(all).endsWith("-         -       -");
            assertThat(Files.readString(out.resolve(EvalReport.HTML))).contains("ungraded: the judge at " + endpoint);
        }
    }

    private static String line(String category, String question) {
        return "{\"category\": \"" + category + "\", \"messages\": [{\"role\": \"user\", \"content\": \"" + question
                + "\"}]}";
    }

    private static String rubric(String resource) {
        try (InputStream in = EvalCommandTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The rows of an RFC 4180 file, by column name. */
    static List<Map<String, String>> csv(Path file) throws IOException {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        String text = Files.readString(file);
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertThat(field).as("the file ends with a line break").isEmpty();
        assertThat(records.get(0)).isEqualTo(EvalReport.CSV_COLUMNS);
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<String> r : records.subList(1, records.size())) {
            assertThat(r).hasSameSizeAs(EvalReport.CSV_COLUMNS);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < r.size(); i++) {
                row.put(EvalReport.CSV_COLUMNS.get(i), r.get(i));
            }
            rows.add(row);
        }
        return rows;
    }
}
