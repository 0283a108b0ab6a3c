package io.quarkiverse.handoff.sample.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.OpenerStop;

/**
 * The eval's outputs: the per-category table (stdout), {@value #CSV} (one row per handoff) and {@value #HTML} (a
 * self-contained page with every conversation, escaped: prompts and replies are user and model text).
 */
public final class EvalReport {

    public static final String CSV = "results.csv";
    public static final String HTML = "report.html";
    public static final String ALL = "all";

    public static final List<String> CSV_COLUMNS = List.of("line", "category", "profile", "sample", "turns", "prompt",
            "opener", "continuation", "opener_words", "ungrounded", "made_up", "repeated", "seam_repeat",
            "grounding_guard", "guard_stop", "corrections", "degraded_code", "strategy", "continuator",
            "first_word_ms", "cloud_first_token_ms", "seam_gap_ms", "total_ms", "opener_score", "reply_score",
            "judge_note", "failure", "opener_stop", "opener_stop_fact");

    /** How each judge-free metric is computed, for the report's readers. */
    static final Map<String, String> DEFINITIONS = definitions();

    /**
     * What the report says about the run.
     *
     * @param promptSet the prompt file's name (or the default set's)
     * @param judge the judge, or null when none was configured
     * @param plainWords how many words the plain English word list holds
     */
    public record Run(String promptSet, List<String> profiles, int samples, Judge judge, int plainWords) {
    }

    /** The results of one category (or of all, {@link #ALL}), and their figures. */
    record Category(String name, List<EvalResult> results) {

        List<EvalResult> answered() {
            return results.stream().filter(EvalResult::answered).toList();
        }

        long failed() {
            return results.size() - answered().size();
        }

        double meanOpenerWords() {
            return answered().stream().mapToInt(EvalResult::openerWords).average().orElse(Double.NaN);
        }

        /** The share of answered handoffs for which the test holds, in percent. */
        double percent(Predicate<EvalResult> test) {
            List<EvalResult> answered = answered();
            return answered.isEmpty() ? Double.NaN : 100.0 * answered.stream().filter(test).count() / answered.size();
        }

        long count(Predicate<EvalResult> test) {
            return answered().stream().filter(test).count();
        }

        double medianFirstWordMs() {
            return median(answered().stream().map(EvalResult::firstWordMs).filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue).toArray());
        }

        List<Integer> scores(Function<EvalResult, Judge.Grade> grade) {
            return answered().stream().map(grade).filter(g -> g != null && g.graded()).map(Judge.Grade::score)
                    .toList();
        }

        double meanScore(Function<EvalResult, Judge.Grade> grade) {
            return scores(grade).stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
        }

        double percentAtLeastOne(Function<EvalResult, Judge.Grade> grade) {
            List<Integer> scores = scores(grade);
            return scores.isEmpty() ? Double.NaN : 100.0 * scores.stream().filter(s -> s >= 1).count() / scores.size();
        }
    }

    private EvalReport() {
    }

    /** The categories in the order they first appear, then {@link #ALL}. */
    static List<Category> categories(List<EvalResult> results) {
        Map<String, List<EvalResult>> byCategory = results.stream().collect(Collectors.groupingBy(
                r -> r.conversation().category(), LinkedHashMap::new, Collectors.toList()));
        List<Category> categories = new ArrayList<>();
        byCategory.forEach((name, rows) -> categories.add(new Category(name, rows)));
        categories.add(new Category(ALL, results));
        return categories;
    }

    private static final String TABLE_FORMAT = "%-12s %4s %7s %10s %8s %8s %6s %11s %9s %7s %10s";
    private static final String JUDGE_FORMAT = "  %7s %9s %7s";

    /** The per-category table; the judge's columns only when a judge was asked. */
    public static String table(List<EvalResult> results, boolean judged) {
        StringBuilder table = new StringBuilder();
        String format = judged ? TABLE_FORMAT + JUDGE_FORMAT : TABLE_FORMAT;
        table.append(String.format(Locale.ROOT, format, "category", "n", "opener", "ungrounded", "made-up",
                "repeats", "guard", "corrections", "degraded", "failed", "first word", "opener", "opener", "reply")
                .stripTrailing()).append('\n');
        table.append(String.format(Locale.ROOT, format, "", "", "words", "%", "%", "%", "stops", "", "", "",
                "median ms", "score", ">=1 %", "score").stripTrailing()).append('\n');
        for (List<String> row : summaryRows(results, judged)) {
            table.append(String.format(Locale.ROOT, format, row.toArray()).stripTrailing()).append('\n');
        }
        return table.toString();
    }

    /** The figures of each category and of all, as the table and the page show them. */
    static List<List<String>> summaryRows(List<EvalResult> results, boolean judged) {
        List<List<String>> rows = new ArrayList<>();
        for (Category c : categories(results)) {
            List<String> row = new ArrayList<>(List.of(c.name(), Integer.toString(c.results().size()),
                    number(c.meanOpenerWords(), 1), number(c.percent(r -> !r.ungroundedFacts().isEmpty()), 0),
                    number(c.percent(r -> !r.madeUpWords().isEmpty()), 0),
                    number(c.percent(r -> !r.repeatedWords().isEmpty() || r.seamRepeat()), 0),
                    Long.toString(c.count(EvalResult::guardStop)),
                    Long.toString(c.count(r -> !r.corrections().isEmpty())),
                    Long.toString(c.count(EvalResult::degraded)), Long.toString(c.failed()),
                    number(c.medianFirstWordMs(), 1)));
            if (judged) {
                row.addAll(List.of(number(c.meanScore(EvalResult::openerGrade), 2),
                        number(c.percentAtLeastOne(EvalResult::openerGrade), 0),
                        number(c.meanScore(EvalResult::replyGrade), 2)));
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * The per-category figures as JSON, for {@code --json}: the table's columns with numbers as numbers, null where
     * the table shows "-"; the judge's only when a judge was asked.
     */
    public static ObjectNode json(List<EvalResult> results, boolean judged, ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        ArrayNode categories = json.putArray("categories");
        for (Category c : categories(results)) {
            ObjectNode category = categories.addObject().put("category", c.name()).put("n", c.results().size());
            putNumber(category, "meanOpenerWords", c.meanOpenerWords());
            putNumber(category, "ungroundedPercent", c.percent(r -> !r.ungroundedFacts().isEmpty()));
            putNumber(category, "madeUpPercent", c.percent(r -> !r.madeUpWords().isEmpty()));
            putNumber(category, "repeatsPercent", c.percent(r -> !r.repeatedWords().isEmpty() || r.seamRepeat()));
            category.put("guardStops", c.count(EvalResult::guardStop))
                    .put("corrections", c.count(r -> !r.corrections().isEmpty()))
                    .put("degraded", c.count(EvalResult::degraded)).put("failed", c.failed());
            putNumber(category, "medianFirstWordMs", c.medianFirstWordMs());
            if (judged) {
                putNumber(category, "meanOpenerScore", c.meanScore(EvalResult::openerGrade));
                putNumber(category, "openerScoreAtLeastOnePercent", c.percentAtLeastOne(EvalResult::openerGrade));
                putNumber(category, "meanReplyScore", c.meanScore(EvalResult::replyGrade));
            }
        }
        return json;
    }

    private static void putNumber(ObjectNode json, String field, double value) {
        if (Double.isNaN(value)) {
            json.putNull(field);
        } else {
            json.put(field, value);
        }
    }

    /** One row per handoff, RFC 4180 quoting. */
    public static String csv(List<EvalResult> results) {
        StringBuilder csv = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
        for (EvalResult r : results) {
            List<String> row = List.of(Integer.toString(r.conversation().line()), r.conversation().category(),
                    r.profile(), Integer.toString(r.sample()),
                    Integer.toString(r.conversation().conversation().turnIndex() + 1),
                    r.conversation().conversation().lastUserMessage(), r.opener().strip(), r.continuation(),
                    r.answered() ? Integer.toString(r.openerWords()) : "", String.join(" ", r.ungroundedFacts()),
                    String.join(" ", r.madeUpWords()), String.join(" ", r.repeatedWords()), flag(r.seamRepeat()),
                    flag(r.groundingGuard()), flag(r.guardStop()), String.join("; ", r.corrections()),
                    Objects.toString(r.degradedCode(), ""), Objects.toString(r.strategy(), ""),
                    Objects.toString(r.continuator(), ""), csvNumber(r.firstWordMs()),
                    csvNumber(r.cloudFirstTokenMs()), csvNumber(r.seamGapMs()), csvNumber(r.totalMs()),
                    score(r.openerGrade()), score(r.replyGrade()), judgeNote(r), Objects.toString(r.failure(), ""),
                    stop(r.openerStop()),
                    r.openerStop() == null ? "" : Objects.toString(r.openerStop().fact(), ""));
            csv.append(row.stream().map(EvalReport::csvField).collect(Collectors.joining(","))).append("\r\n");
        }
        return csv.toString();
    }

    /** Where and why the opener stopped: the reason's code and, when it stopped before a word, that word. */
    static String stop(OpenerStop stop) {
        if (stop == null) {
            return "";
        }
        return stop.before() == null ? stop.reason() : stop.reason() + " before \"" + stop.before() + "\"";
    }

    /** A field quoted when it holds a comma, a quote, a line break or surrounding space; quotes doubled. */
    static String csvField(String value) {
        boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")
                || !value.equals(value.strip());
        return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    /** Why a handoff has no grade (the judge could not be asked or its answer not read), or the judge's reasons. */
    static String judgeNote(EvalResult r) {
        List<String> notes = new ArrayList<>();
        if (r.openerGrade() != null) {
            notes.add("opener: " + r.openerGrade().reason());
        }
        if (r.replyGrade() != null) {
            notes.add("reply: " + r.replyGrade().reason());
        }
        return notes.stream().filter(n -> !n.endsWith(": ")).collect(Collectors.joining("; "));
    }

    /** The report as one HTML page with its style inline. */
    public static String html(List<EvalResult> results, Run run) {
        boolean judged = run.judge() != null;
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Handoff eval: ").append(escape(run.promptSet())).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:90em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .5em;")
                .append("vertical-align:top;text-align:left}th{background:#f3f3f3}td.n{text-align:right}")
                .append(".opener{background:#d8f0f8}.continuation{background:#e4f6e0}.bad{color:#b00020}")
                .append(".turn{margin:0 0 .3em}.role{color:#666;font-size:.85em}ul{margin:0;padding-left:1.2em}")
                .append("pre{white-space:pre-wrap;background:#f7f7f7;padding:.8em}\n</style>\n</head>\n<body>\n");
        html.append("<h1>Handoff eval</h1>\n<p>").append(results.size()).append(" handoffs of ")
                .append(escape(run.promptSet())).append(" on ").append(escape(String.join(", ", run.profiles())))
                .append(run.samples() > 1 ? ", " + run.samples() + " samples per conversation" : "")
                .append(". Continued by: ").append(escape(results.stream().map(EvalResult::continuator)
                        .filter(Objects::nonNull).distinct().collect(Collectors.joining(", "))))
                .append(". Judge: ").append(judged ? escape(run.judge().model() + " at " + run.judge().endpoint())
                        : "none (judge-free metrics only)")
                .append(".</p>\n");
        summary(html, results, judged);
        html.append("<h2>How the figures are computed</h2>\n<dl>\n");
        DEFINITIONS.forEach((term, definition) -> html.append("<dt><b>").append(escape(term)).append("</b></dt><dd>")
                .append(escape(definition.replace("%WORDS%", String.format(Locale.ROOT, "%,d", run.plainWords()))))
                .append("</dd>\n"));
        if (judged) {
            html.append("<dt><b>scores</b></dt><dd>the judge's grades, 0 to 2, on the rubrics below; a handoff whose ")
                    .append("grade could not be had is ungraded and left out of the means, with the reason in the ")
                    .append("row</dd>\n");
        }
        html.append("</dl>\n");
        for (Category category : categories(results)) {
            if (!category.name().equals(ALL)) {
                conversations(html, category, judged);
            }
        }
        if (judged) {
            html.append("<h2>Rubrics</h2>\n<h3>Opener</h3>\n<pre>").append(escape(run.judge().openerRubric()))
                    .append("</pre>\n<h3>Reply</h3>\n<pre>").append(escape(run.judge().replyRubric()))
                    .append("</pre>\n");
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static void summary(StringBuilder html, List<EvalResult> results, boolean judged) {
        List<String> headers = new ArrayList<>(List.of("category", "n", "mean opener words", "% ungrounded",
                "% made-up words", "% repeats", "guard stops", "corrections", "degraded", "failed",
                "median first word ms"));
        if (judged) {
            headers.addAll(List.of("mean opener score", "% opener score >= 1", "mean reply score"));
        }
        html.append("<table>\n<tr>");
        headers.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr>\n");
        for (List<String> row : summaryRows(results, judged)) {
            String category = row.get(0);
            html.append("<tr><td>").append(category.equals(ALL) ? escape(category)
                    : "<a href=\"#" + anchor(category) + "\">" + escape(category) + "</a>").append("</td>");
            row.subList(1, row.size()).forEach(cell -> html.append("<td class=\"n\">").append(escape(cell))
                    .append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void conversations(StringBuilder html, Category category, boolean judged) {
        html.append("<h2 id=\"").append(anchor(category.name())).append("\">").append(escape(category.name()))
                .append("</h2>\n<table>\n<tr><th>line</th><th>profile</th><th>conversation</th>")
                .append("<th>reply (<span class=\"opener\">opener</span> <span class=\"continuation\">continuation")
                .append("</span>)</th><th>measured</th>").append(judged ? "<th>judge</th>" : "").append("</tr>\n");
        for (EvalResult r : category.results()) {
            html.append("<tr><td class=\"n\">").append(r.conversation().line())
                    .append(r.sample() > 1 ? " #" + r.sample() : "").append("</td><td>").append(escape(r.profile()))
                    .append("</td><td>");
            for (ChatMessage message : r.conversation().conversation().messages()) {
                html.append("<p class=\"turn\"><span class=\"role\">").append(message.role().wireName())
                        .append("</span> ").append(escape(message.content())).append("</p>");
            }
            html.append("</td><td>");
            if (r.answered()) {
                html.append("<span class=\"opener\">").append(escape(r.opener())).append("</span>")
                        .append("<span class=\"continuation\">").append(escape(r.continuation())).append("</span>");
            } else {
                html.append("<span class=\"bad\">failed: ").append(escape(r.failure())).append("</span>");
            }
            html.append("</td><td><ul>");
            measured(r).forEach(item -> html.append("<li>").append(item).append("</li>"));
            html.append("</ul></td>");
            if (judged) {
                html.append("<td>").append(grade("opener", r.openerGrade())).append("<br>")
                        .append(grade("reply", r.replyGrade())).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /** The metrics of one handoff, as escaped HTML list items. */
    private static List<String> measured(EvalResult r) {
        List<String> items = new ArrayList<>();
        if (!r.answered()) {
            return items;
        }
        items.add(r.openerWords() + " opener words");
        items.add(problem("ungrounded", r.ungroundedFacts()));
        items.add(problem("made-up", r.madeUpWords()));
        items.add(problem("repeated", r.repeatedWords()));
        if (r.seamRepeat()) {
            items.add("<span class=\"bad\">the continuation repeats the opener's last word</span>");
        }
        items.add("seam: \u2026" + escape(tail(r.opener())) + " | " + escape(head(r.continuation())) + "\u2026"
                + (r.seamGapMs() != null ? String.format(Locale.ROOT, " (gap %.0f ms)", r.seamGapMs()) : ""));
        OpenerStop stop = r.openerStop();
        String stopped = stop == null ? "not reported"
                : escape(stop(stop)) + (stop.fact() == null ? "" : " (" + escape(stop.fact()) + ")");
        items.add("grounding guard: " + (r.groundingGuard() ? "on" : "off") + "; the opener stopped: "
                + (r.guardStop() ? "<b>" + stopped + "</b>" : stopped));
        r.corrections().forEach(c -> items.add("correction: " + escape(c)));
        items.add("strategy: " + escape(Objects.toString(r.strategy(), "-")) + " (continued by "
                + escape(Objects.toString(r.continuator(), "-")) + ")");
        if (r.degraded()) {
            items.add("<span class=\"bad\">degraded: " + escape(r.degradedCode()) + "</span>");
        }
        items.add(String.format(Locale.ROOT, "first word %s ms, cloud first token %s ms, total %s ms",
                number(r.firstWordMs(), 0), number(r.cloudFirstTokenMs(), 0), number(r.totalMs(), 0)));
        if (!r.firedRules().isEmpty()) {
            items.add("<details><summary>fired rules</summary><ul>" + r.firedRules().stream()
                    .map(rule -> "<li>" + escape(rule) + "</li>").collect(Collectors.joining()) + "</ul></details>");
        }
        return items;
    }

    private static String problem(String label, List<String> words) {
        return words.isEmpty() ? label + ": none"
                : "<span class=\"bad\">" + label + ": " + escape(String.join(" ", words)) + "</span>";
    }

    private static String grade(String label, Judge.Grade grade) {
        if (grade == null) {
            return label + ": -";
        }
        return grade.graded() ? label + " <b>" + grade.score() + "</b>" + (grade.reason().isEmpty() ? ""
                : ": " + escape(grade.reason()))
                : "<span class=\"bad\">" + label + " ungraded: " + escape(grade.reason()) + "</span>";
    }

    private static String tail(String text) {
        List<String> words = OpenerChecks.words(text.stripTrailing());
        return String.join("", words.subList(Math.max(0, words.size() - 3), words.size())).strip();
    }

    private static String head(String text) {
        List<String> words = OpenerChecks.words(text);
        return String.join("", words.subList(0, Math.min(3, words.size()))).stripTrailing();
    }

    /** Text for an HTML element or attribute. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String anchor(String category) {
        return "category-" + category.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private static Map<String, String> definitions() {
        Map<String, String> definitions = new LinkedHashMap<>();
        definitions.put("n", "handoffs of the category: conversations times profiles times samples");
        definitions.put("opener words", "the words of the opener the device wrote, split at whitespace; failed "
                + "handoffs are left out of this and every percentage");
        definitions.put("ungrounded", "handoffs whose opener states a number or a name that the conversation does "
                + "not contain: digits or number words whose value the conversation lacks (\"ten\" is grounded by "
                + "\"10\"), capitalized words inside a sentence, and capitalized words anywhere that are not in the "
                + "word list");
        definitions.put("made-up words", "handoffs whose opener has a lower-case word that is not in the plain "
                + "English word list (SCOWL size 35, %WORDS% words, with contractions and possessives), not in the "
                + "conversation and not a number word, or a word that glues letters to digits (\"twelve10\"; a "
                + "number with a unit such as \"5km\" is fine)");
        definitions.put("repeats", "handoffs whose opener says a word twice in a row (\"the the\"; \"that that\" "
                + "and \"had had\" are English), or whose continuation starts with the opener's last word again");
        definitions.put("guard stops", "handoffs whose opener the grounding guard stopped, right before a word "
                + "stating a fact that the conversation does not contain (a number, a date or time, a name, a "
                + "guessed word): the done event's openerStop says ungrounded-fact. Each handoff shows where and why "
                + "its opener stopped (results.csv: opener_stop)");
        definitions.put("corrections", "handoffs in which an error-correction method fired (correction events)");
        definitions.put("degraded", "handoffs the device finished because the cloud failed (the done event's "
                + "degradedCode)");
        definitions.put("failed", "handoffs that gave no reply (an error event, or no end within --timeout)");
        definitions.put("first word", "when the reply's first word reached the command, in ms since it asked: the "
                + "opener's first word, or the continuation's when there was no opener");
        return definitions;
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String number(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String number(Double value, int decimals) {
        return value == null ? "-" : number(value.doubleValue(), decimals);
    }

    private static String csvNumber(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String score(Judge.Grade grade) {
        return grade != null && grade.graded() ? Integer.toString(grade.score()) : "";
    }

    private static String flag(boolean value) {
        return value ? "yes" : "no";
    }
}
