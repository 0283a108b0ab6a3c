package io.quarkiverse.handoff.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkiverse.handoff.OpenerStop;
import io.quarkiverse.handoff.event.ContinuationEvent;
import io.quarkiverse.handoff.event.CorrectionEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.ErrorEvent;
import io.quarkiverse.handoff.event.OpenerEvent;
import io.quarkiverse.handoff.event.PlanEvent;
import io.quarkiverse.handoff.event.Timings;
import io.quarkiverse.handoff.runtime.continuator.CloudContinuationException;
import io.quarkiverse.handoff.runtime.opener.OpenerStop.Reason;

/**
 * The documentation names what the code has: the README's table of stream events lists every field of each event,
 * its timings and the opener's stop (its fields and reasons), and docs/policies.md's salience table lists the phases
 * that common.drl declares and the default rules use, and docs/recovery.md's table of how a handoff ends has a row for
 * every way a cloud call fails. A field, a phase or a failure added without its documentation fails here.
 */
class DocumentationTest {

    static final Path ROOT = Path.of("..");
    static final Path POLICIES = ROOT.resolve("policies/src/main/resources/io/quarkiverse/handoff/policies");
    /** Names in the event table that are fields of a field, not of the event. */
    static final Set<String> NESTED_FIELDS = Set.of("firedRules", "rules", "name", "package", "reasons");
    static final Pattern BACKTICKED = Pattern.compile("`([A-Za-z]+)`");

    @Test
    void theReadmesEventTableListsEveryFieldOfEveryEvent() throws IOException {
        String readme = read(ROOT.resolve("README.md"));
        for (Class<? extends Record> event : List.of(OpenerEvent.class, PlanEvent.class, ContinuationEvent.class,
                CorrectionEvent.class, DoneEvent.class, ErrorEvent.class)) {
            String name = eventName(event);
            Matcher row = Pattern.compile("(?m)^\\| `" + name + "` \\|[^|]*\\|([^|]*)\\|$").matcher(readme);
            assertThat(row.find()).as("a row for the '%s' event in the README's event table", name).isTrue();
            Set<String> documented = backticked(row.group(1));
            documented.removeAll(NESTED_FIELDS);
            assertThat(documented).as("the README's fields of the '%s' event", name)
                    .containsExactlyInAnyOrderElementsOf(components(event));
        }
        Matcher timings = Pattern.compile("`timings` holds (.*?), all measured", Pattern.DOTALL).matcher(readme);
        assertThat(timings.find()).as("the README's sentence listing the timings").isTrue();
        assertThat(backticked(timings.group(1))).containsExactlyInAnyOrderElementsOf(components(Timings.class));
        Matcher stop = Pattern.compile("`openerStop` says (.*?) does not report its stop", Pattern.DOTALL)
                .matcher(readme);
        assertThat(stop.find()).as("the README's sentence on the opener's stop").isTrue();
        for (String field : components(OpenerStop.class)) {
            assertThat(stop.group(1)).as("the README's fields of openerStop").contains("`" + field + "`");
        }
        for (Reason reason : Reason.values()) {
            assertThat(stop.group(1)).as("the README's reasons of openerStop").contains("`" + reason.code() + "`");
        }
    }

    @Test
    void thePoliciesGuidesSalienceTableListsThePhasesOfTheDefaultRules() throws IOException {
        Set<Integer> declared = new TreeSet<>();
        Matcher header = Pattern.compile("(?m)^ \\*\\s+(\\d{3,4})  ").matcher(read(POLICIES.resolve("common.drl")));
        while (header.find()) {
            declared.add(Integer.parseInt(header.group(1)));
        }
        assertThat(declared).as("the phases in common.drl's header").isNotEmpty();

        Set<Integer> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(POLICIES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".drl")).toList()) {
                Matcher salience = Pattern.compile("(?m)^\\s+salience (\\d+)\\s*$").matcher(read(file));
                while (salience.find()) {
                    // a rule belongs to the nearest phase: 790 (the deadline, after the opener length) to 800
                    used.add((int) Math.round(Integer.parseInt(salience.group(1)) / 100.0) * 100);
                }
            }
        }
        assertThat(used).as("the phases the default rules fire in").isEqualTo(declared);

        Set<Integer> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| (\\d{3,4}) \\|").matcher(read(ROOT.resolve("docs/policies.md")));
        while (row.find()) {
            documented.add(Integer.parseInt(row.group(1)));
        }
        assertThat(documented).as("the phases in docs/policies.md's salience table").isEqualTo(declared);
    }

    @Test
    void theRecoveryGuidesTableNamesEveryWayACloudCallFails() throws IOException {
        String recovery = read(ROOT.resolve("docs/recovery.md"));
        int start = recovery.indexOf("## How a handoff ends");
        assertThat(start).as("docs/recovery.md's section 'How a handoff ends'").isNotNegative();
        Set<String> codes = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\|[^|\n]*\\|[^|\n]*\\|[^|\n]*\\| `([a-z-]+)` \\|")
                .matcher(recovery.substring(start));
        while (row.find()) {
            codes.add(row.group(1));
        }
        for (CloudContinuationException.Kind kind : CloudContinuationException.Kind.values()) {
            assertThat(codes).as("a row of docs/recovery.md's table for %s", kind).contains(kind.code());
        }
        assertThat(codes).contains(DoneEvent.NO_CLOUD, DoneEvent.CLOUD_UNAVAILABLE, DoneEvent.LOCAL_ONLY,
                DoneEvent.PIVOT_UNANSWERED);
    }

    private static String eventName(Class<? extends Record> event) {
        RecordComponent[] components = event.getRecordComponents();
        Object[] defaults = Arrays.stream(components).map(c -> defaultValue(c.getType())).toArray();
        try {
            Record instance = event.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new)).newInstance(defaults);
            return (String) event.getMethod("type").invoke(instance);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the type of " + event.getSimpleName(), e);
        }
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == double.class) {
            return 0.0;
        }
        return null;
    }

    private static Set<String> components(Class<? extends Record> record) {
        Set<String> names = new LinkedHashSet<>();
        for (RecordComponent component : record.getRecordComponents()) {
            names.add(component.getName());
        }
        return names;
    }

    private static Set<String> backticked(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = BACKTICKED.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The worked continuator and the wire-protocol example of docs/continuator.md are the classes the tests run. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "org/acme/anthropic/AnthropicContinuator.java, AnthropicContinuatorTest",
            "org/acme/lines/LineChatStream.java, ApplicationChatStreamTest" })
    void theGuidesExampleIsTheTestedClass(String example, String testedBy) throws IOException {
        String guide = read(ROOT.resolve("docs/continuator.md"));
        String tested = read(Path.of("src/test/java").resolve(example));
        assertThat(guide).as("docs/continuator.md lists %s, tested by %s", example, testedBy)
                .contains("```java\n" + tested + "```\n");
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
