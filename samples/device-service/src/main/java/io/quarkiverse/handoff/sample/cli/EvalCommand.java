package io.quarkiverse.handoff.sample.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.ContinuationEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.event.OpenerEvent;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.handoff.runtime.policy.DeviceProfiles;
import io.quarkiverse.handoff.sample.SampleConfig;
import io.quarkiverse.handoff.sample.eval.EvalConversation;
import io.quarkiverse.handoff.sample.eval.EvalPrompts;
import io.quarkiverse.handoff.sample.eval.EvalReport;
import io.quarkiverse.handoff.sample.eval.EvalResult;
import io.quarkiverse.handoff.sample.eval.Judge;
import io.quarkiverse.handoff.sample.eval.PlainEnglish;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs a prompt set through real handoffs (the application's {@link Handoff}, as {@code ask} does) and reports, per
 * category, what the openers said and how the handoffs went, with metrics that need no judge; with a judge endpoint,
 * also the judge's grades of each opener and each whole reply.
 */
@Command(name = EvalCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false, description = "Run a prompt set (JSON Lines: {\"category\": ..., \"messages\": [...], \"profile\": ...} per "
        + "line; without a file, the default set of the sample) through real handoffs and report per "
        + "category: opener length, ungrounded numbers or names, made-up words, repeated words, grounding "
        + "guard stops, corrections, degraded replies and the first word's time. With --judge-url, an "
        + "OpenAI-compatible judge model also grades each opener and each whole reply 0-2. Progress on "
        + "stderr, a table on stdout, report.html and results.csv under --out.")
public class EvalCommand implements Callable<Integer> {

    static final String NAME = "eval";
    /** The judge's api key, when --judge-api-key is not given (a key on the command line shows in ps). */
    static final String JUDGE_API_KEY_ENV = "HANDOFF_JUDGE_API_KEY";
    /** After this many judge failures in a row (no connection, HTTP errors) the judge is no longer asked. */
    static final int JUDGE_FAILURES_TO_GIVE_UP = 3;
    private static final int QUOTED_OPENER_CHARS = 60;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROMPTS", description = "the prompt set, a JSON Lines file (default: the sample's own set, eval/prompts.jsonl)")
    Path promptsArgument;

    @Option(names = "--prompts", paramLabel = "FILE", description = "the prompt set, as the argument")
    Path promptsOption;

    @Option(names = { "--profile",
            "--profiles" }, paramLabel = "NAME", split = ",", description = "the device profiles of the conversations that name none, each run on every one "
                    + "(default: handoff.sample.default-profile, phone)")
    List<String> profiles;

    @Mixin
    DeviceFactOptions device;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1", description = "handoffs per conversation and profile: the opener is sampled, so each may differ "
            + "(default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "eval-results", description = "where report.html and results.csv are written (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--judge-url", paramLabel = "URL", description = "an OpenAI-compatible server's base URL (e.g. http://localhost:8000/v1): its "
            + "chat completions grade each opener and each reply. Without it, judge-free metrics only")
    String judgeUrl;

    @Option(names = "--judge-model", paramLabel = "NAME", defaultValue = "gpt-4o-mini", description = "the judge's model name (default: ${DEFAULT-VALUE})")
    String judgeModel;

    @Option(names = "--judge-api-key", paramLabel = "KEY", defaultValue = "${env:" + JUDGE_API_KEY_ENV
            + "}", description = "the judge's api key, sent as a bearer token (default: the environment variable "
                    + JUDGE_API_KEY_ENV + "; none for a server that needs none)")
    String judgeApiKey;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "give up on a handoff or a judge request not complete after this long "
            + "(default: ${DEFAULT-VALUE})")
    double timeoutSeconds;

    @Option(names = "--json", description = "print the per-category figures as one JSON object instead of the "
            + "table (the files are written all the same)")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Inject
    Handoff handoff;

    @Inject
    DeviceProfiles deviceProfiles;

    @Inject
    SampleConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    Instance<OnnxOpener> opener;

    /** Judge requests that failed since the last one that did not. */
    private int judgeFailuresInARow;

    /** One handoff to run: a conversation on a profile, the n-th time. */
    private record Planned(EvalConversation conversation, String profile, int sample) {
    }

    @Override
    public Integer call() throws IOException {
        List<String> defaultProfiles = validate();
        String promptSet = promptsFile() == null ? EvalPrompts.DEFAULT_SET_NAME : promptsFile().toString();
        List<Planned> planned = plan(conversations(), defaultProfiles);
        DeviceFacts facts = device.deviceFacts(spec.commandLine());
        Duration timeout = Duration.ofMillis(Math.round(timeoutSeconds * 1000));
        Judge judge = judgeUrl == null ? null : new Judge(judgeUrl, judgeModel, judgeApiKey, timeout, mapper);
        PlainEnglish plain = PlainEnglish.load();
        Files.createDirectories(out);

        PrintWriter progress = spec.commandLine().getErr();
        progress.println("eval: " + planned.size() + " handoffs of " + promptSet
                + (judge != null ? ", graded by " + judge.model() + " at " + judge.endpoint() : "")
                + "; loading the opener model");
        progress.flush();
        TimedHandoff.awaitOpener(opener, timeout, "--timeout");
        List<EvalResult> results = new ArrayList<>();
        for (Planned next : planned) {
            EvalResult result = handoff(next, facts, timeout, plain);
            if (judge != null && result.answered()) {
                result = grade(judge, result, progress);
            }
            results.add(result);
            progress.println(progressLine(results.size(), planned.size(), result));
            progress.flush();
        }

        Path csv = out.resolve(EvalReport.CSV);
        Path html = out.resolve(EvalReport.HTML);
        Files.writeString(csv, EvalReport.csv(results), StandardCharsets.UTF_8);
        Files.writeString(html, EvalReport.html(results, new EvalReport.Run(promptSet, profilesRun(planned), samples,
                judge, plain.size())), StandardCharsets.UTF_8);
        if (judge != null) {
            warnAboutUngraded(progress, results);
        }
        long failed = results.stream().filter(r -> !r.answered()).count();
        if (failed == results.size()) {
            progress.println("error: none of the " + results.size() + " handoffs gave a reply, the first because "
                    + results.get(0).failure());
            progress.flush();
            return CliErrors.FAILED;
        }
        if (failed > 0) {
            progress.printf(Locale.ROOT, "warning: %d of %d handoffs gave no reply: they are counted as failed "
                    + "(why: the failure column of %s)%n", failed, results.size(), EvalReport.CSV);
            progress.flush();
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            ObjectNode figures = EvalReport.json(results, judge != null, mapper);
            figures.put("report", html.toString()).put("csv", csv.toString());
            stdout.println(figures);
        } else {
            stdout.print(EvalReport.table(results, judge != null));
            stdout.printf("%nwrote %s and %s%n", html, csv);
        }
        stdout.flush();
        return 0;
    }

    /** The default profiles, once every option is checked: a usage error (exit code 2) names each wrong one. */
    private List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (promptsArgument != null && promptsOption != null) {
            problems.add("give the prompt set once: as the argument or with --prompts, not both");
        }
        List<String> defaults = profiles == null || profiles.isEmpty() ? List.of(config.defaultProfile())
                : profiles.stream().map(String::strip).distinct().toList();
        for (String profile : defaults) {
            if (!deviceProfiles.contains(profile)) {
                problems.add("--profile: unknown device profile '" + profile + "', known: "
                        + String.join(", ", deviceProfiles.names()));
            }
        }
        if (samples < 1) {
            problems.add("--samples must be at least 1, got " + samples);
        }
        if (!(timeoutSeconds > 0)) {
            problems.add("--timeout must be more than 0 seconds, got " + timeoutSeconds);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            problems.add("--out '" + out.toAbsolutePath() + "' is a file: pass a directory");
        }
        if (judgeUrl != null && !isHttpUrl(judgeUrl)) {
            problems.add("--judge-url must be an http:// or https:// URL such as http://localhost:8000/v1, got '"
                    + judgeUrl + "'");
        }
        if (judgeModel.isBlank()) {
            problems.add("--judge-model is empty");
        }
        if (!problems.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
        }
        return defaults;
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url.strip());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Path promptsFile() {
        return promptsArgument != null ? promptsArgument : promptsOption;
    }

    /** The prompt set's conversations, or a usage error naming the file (and line) and how to fix it. */
    private List<EvalConversation> conversations() {
        Path file = promptsFile();
        try {
            if (file == null) {
                return EvalPrompts.defaultSet(mapper);
            }
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(file + ": not UTF-8 text: save the prompt set as UTF-8");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the prompt set " + CliErrors.message(e)
                        .replaceFirst("^cannot use ", ""));
            }
            List<EvalConversation> conversations = EvalPrompts.parse(file.toString(), text, mapper);
            for (EvalConversation conversation : conversations) {
                if (conversation.profile() != null && !deviceProfiles.contains(conversation.profile())) {
                    throw new IllegalArgumentException(file + ":" + conversation.line() + ": unknown device profile '"
                            + conversation.profile() + "': use one of " + String.join(", ", deviceProfiles.names())
                            + ", or leave 'profile' out");
                }
            }
            return conversations;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), CliErrors.oneLine(e.getMessage()));
        }
    }

    /** Every handoff to run, in the prompt set's order: a conversation on its own profile or on each default. */
    private List<Planned> plan(List<EvalConversation> conversations, List<String> defaultProfiles) {
        List<Planned> planned = new ArrayList<>();
        for (EvalConversation conversation : conversations) {
            for (String profile : conversation.profile() != null ? List.of(conversation.profile()) : defaultProfiles) {
                for (int sample = 1; sample <= samples; sample++) {
                    planned.add(new Planned(conversation, profile, sample));
                }
            }
        }
        return planned;
    }

    private static List<String> profilesRun(List<Planned> planned) {
        return planned.stream().map(Planned::profile).distinct().toList();
    }

    /** One real handoff, measured; a handoff that fails or does not finish in time is a failed result. */
    private EvalResult handoff(Planned planned, DeviceFacts facts, Duration timeout, PlainEnglish plain) {
        HandoffRequest request = new HandoffRequest(planned.conversation().conversation(), planned.profile(), facts);
        List<TimedHandoff.TimedEvent> events;
        try {
            events = TimedHandoff.run(handoff, request, timeout, "--timeout", e -> {
            });
        } catch (IllegalArgumentException | IllegalStateException e) {
            return EvalResult.failed(planned.conversation(), planned.profile(), planned.sample(),
                    CliErrors.message(e));
        }
        Double firstWordMs = events.stream()
                .filter(t -> t.event() instanceof OpenerEvent
                        || t.event() instanceof ContinuationEvent c && !c.delta().isBlank())
                .map(TimedHandoff.TimedEvent::receivedMs).findFirst().orElse(null);
        List<HandoffEvent> handoffEvents = events.stream().map(TimedHandoff.TimedEvent::event).toList();
        return EvalResult.of(planned.conversation(), planned.profile(), planned.sample(), handoffEvents, firstWordMs,
                plain);
    }

    /** The judge's grades of the opener (when there is one) and of the whole reply. */
    private EvalResult grade(Judge judge, EvalResult result, PrintWriter progress) {
        Conversation conversation = result.conversation().conversation();
        Judge.Grade opener = result.opener().isBlank()
                ? new Judge.Grade(null, "no opener: the continuator answered alone")
                : ask(() -> judge.gradeOpener(conversation, result.opener()), progress);
        Judge.Grade reply = ask(() -> judge.gradeReply(conversation, result.opener(), result.continuation()),
                progress);
        return result.withGrades(opener, reply);
    }

    /**
     * One question to the judge; when it cannot be asked, an ungraded grade that says why, and a warning. After
     * {@value #JUDGE_FAILURES_TO_GIVE_UP} such failures in a row it is not asked again.
     */
    private Judge.Grade ask(Supplier<Judge.Grade> question, PrintWriter progress) {
        if (judgeFailuresInARow >= JUDGE_FAILURES_TO_GIVE_UP) {
            return new Judge.Grade(null, "not asked: the judge failed " + JUDGE_FAILURES_TO_GIVE_UP
                    + " times in a row");
        }
        try {
            Judge.Grade grade = question.get();
            judgeFailuresInARow = 0;
            return grade;
        } catch (Judge.UnavailableException e) {
            judgeFailuresInARow++;
            progress.println("warning: judge: " + CliErrors.oneLine(e.getMessage())
                    + (judgeFailuresInARow == JUDGE_FAILURES_TO_GIVE_UP ? "; " + JUDGE_FAILURES_TO_GIVE_UP
                            + " failures in a row: the judge is not asked again, the rest is ungraded"
                            : ""));
            return new Judge.Grade(null, e.getMessage());
        }
    }

    private static void warnAboutUngraded(PrintWriter progress, List<EvalResult> results) {
        List<EvalResult> answered = results.stream().filter(EvalResult::answered).toList();
        long openers = answered.stream().filter(r -> !r.opener().isBlank()).count();
        long gradedOpeners = answered.stream().filter(r -> r.openerGrade() != null && r.openerGrade().graded())
                .count();
        long gradedReplies = answered.stream().filter(r -> r.replyGrade() != null && r.replyGrade().graded())
                .count();
        if (gradedOpeners < openers || gradedReplies < answered.size()) {
            progress.printf(Locale.ROOT, "warning: the judge graded %d of %d openers and %d of %d replies; the "
                    + "others are ungraded and left out of the scores (why: the judge_note column of %s)%n",
                    gradedOpeners, openers, gradedReplies, answered.size(), EvalReport.CSV);
            progress.flush();
        }
    }

    private static String progressLine(int done, int total, EvalResult r) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "eval: [%d/%d] %s, line %d, %s%s: ", done,
                total, r.conversation().category(), r.conversation().line(), r.profile(),
                r.sample() > 1 ? " #" + r.sample() : ""));
        if (!r.answered()) {
            return line.append("failed: ").append(r.failure()).toString();
        }
        String opener = CliErrors.oneLine(r.opener());
        line.append('"').append(opener.length() > QUOTED_OPENER_CHARS ? opener.substring(0, QUOTED_OPENER_CHARS)
                + "..." : opener).append('"');
        line.append(String.format(Locale.ROOT, ", first word %s ms", r.firstWordMs() == null ? "-"
                : String.format(Locale.ROOT, "%.0f", r.firstWordMs())));
        List<String> flags = new ArrayList<>();
        if (!r.ungroundedFacts().isEmpty()) {
            flags.add("ungrounded " + String.join(" ", r.ungroundedFacts()));
        }
        if (!r.madeUpWords().isEmpty()) {
            flags.add("made-up " + String.join(" ", r.madeUpWords()));
        }
        if (!r.repeatedWords().isEmpty() || r.seamRepeat()) {
            flags.add("repeats");
        }
        if (r.guardStop()) {
            String before = r.openerStop().before();
            flags.add(before == null ? "guard stop" : "guard stop before \"" + before + "\"");
        }
        if (!r.corrections().isEmpty()) {
            flags.add("correction");
        }
        if (r.degraded()) {
            flags.add("degraded (" + r.degradedCode() + ")");
        }
        if (r.openerGrade() != null) {
            flags.add("opener " + (r.openerGrade().graded() ? r.openerGrade().score() : "ungraded"));
        }
        if (r.replyGrade() != null) {
            flags.add("reply " + (r.replyGrade().graded() ? r.replyGrade().score() : "ungraded"));
        }
        flags.forEach(flag -> line.append(", ").append(flag));
        return line.toString();
    }
}
