package io.quarkiverse.handoff.sample.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.ContinuationEvent;
import io.quarkiverse.handoff.event.CorrectionEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.ErrorEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.event.OpenerEvent;
import io.quarkiverse.handoff.event.PlanEvent;
import io.quarkiverse.handoff.event.Timings;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.handoff.sample.HandoffResource;
import io.quarkiverse.handoff.sample.SampleConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * One real handoff through the application's {@link Handoff}, the same path as {@code POST /v1/handoff}: the opener
 * words are printed as they come, then the continuation, then the timings, strategy and fired rules.
 */
@Command(name = AskCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false, description = "Ask one question through a real handoff (as POST /v1/handoff does): the opener words are "
        + "printed as the device writes them, then the continuation (coloured differently on a terminal), "
        + "then the timings, the strategy and the rules that planned it. Without a configured cloud model "
        + "the embedded continuator continues the reply.")
public class AskCommand implements Callable<Integer> {

    static final String NAME = "ask";

    static final String OPENER_COLOUR = Ansi.Style.fg_cyan.on();
    static final String CONTINUATION_COLOUR = Ansi.Style.fg_green.on();
    static final String RESET = Ansi.Style.reset.on();

    @Parameters(index = "0", paramLabel = "QUESTION", description = "the user's question")
    String question;

    @Option(names = "--profile", paramLabel = "NAME", description = "the device profile: watch, glasses, phone, earbuds, desktop or a configured one "
            + "(default: handoff.sample.default-profile, phone)")
    String profile;

    @Mixin
    DeviceFactOptions device;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "give up when the reply is not complete after this long (default: ${DEFAULT-VALUE})")
    double timeoutSeconds;

    @Option(names = "--json", description = "print one JSON object per event line, as the events of "
            + "POST /v1/handoff: opener, handoff, continuation, correction, done, error")
    boolean json;

    @Option(names = "--no-color", description = "never colour the output (by default the opener and the "
            + "continuation are coloured when the output is a terminal)")
    boolean noColor;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Inject
    Handoff handoff;

    @Inject
    ObjectMapper mapper;

    @Inject
    SampleConfig config;

    @Inject
    Instance<OnnxOpener> opener;

    @Override
    public Integer call() {
        if (!(timeoutSeconds > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--timeout must be more than 0 seconds, got " + timeoutSeconds);
        }
        HandoffRequest request = request();
        PrintWriter out = spec.commandLine().getOut();
        boolean colour = !json && !noColor && Ansi.AUTO.enabled();
        Duration timeout = Duration.ofMillis(Math.round(timeoutSeconds * 1000));
        TimedHandoff.awaitOpener(opener, timeout, "--timeout");
        List<TimedHandoff.TimedEvent> events;
        try {
            events = TimedHandoff.run(handoff, request, timeout, "--timeout", timed -> {
                if (json) {
                    out.println(HandoffResource.data(mapper, timed.event()));
                } else {
                    printText(out, timed.event(), colour);
                }
                out.flush();
            });
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), CliErrors.message(e));
        }
        HandoffEvent last = events.isEmpty() ? null : events.get(events.size() - 1).event();
        if (last instanceof ErrorEvent error) {
            if (!json) {
                spec.commandLine().getErr().println("error: " + CliErrors.oneLine(error.message()));
                spec.commandLine().getErr().flush();
            }
            return CliErrors.FAILED;
        }
        if (!(last instanceof DoneEvent done)) {
            throw new IllegalStateException("the handoff ended without a reply (no done event)");
        }
        if (!json) {
            printSummary(out, done, plan(events), corrections(events));
        }
        return 0;
    }

    /** The request, or a usage error (exit code 2) that says which input is wrong. */
    private HandoffRequest request() {
        try {
            Conversation conversation = Conversation.of(question);
            DeviceFacts facts = device.deviceFacts(spec.commandLine());
            String name = profile != null ? profile.trim() : config.defaultProfile();
            return new HandoffRequest(conversation, name, facts);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), optionNames(CliErrors.message(e)));
        }
    }

    /** The wording of the HTTP API in messages, as the command line says it. */
    private static String optionNames(String message) {
        return message.replace("send the question in its 'content'", "pass the question as the argument");
    }

    private static void printText(PrintWriter out, HandoffEvent event, boolean colour) {
        if (event instanceof OpenerEvent opener) {
            out.print(colour ? OPENER_COLOUR + opener.text() + RESET : opener.text());
        } else if (event instanceof ContinuationEvent continuation) {
            out.print(colour ? CONTINUATION_COLOUR + continuation.delta() + RESET : continuation.delta());
        }
    }

    private static void printSummary(PrintWriter out, DoneEvent done, PlanEvent plan, List<CorrectionEvent> fixes) {
        out.println();
        out.println();
        Timings t = done.timings();
        out.printf(Locale.ROOT, "timings: opener first token %s, first word %s, opener done %s, cloud request sent %s, "
                + "cloud first token %s, seam gap %s, total %s%n", ms(t.openerFirstTokenMs()),
                ms(t.openerFirstWordMs()), ms(t.openerDoneMs()), ms(t.cloudRequestSentMs()),
                ms(t.cloudFirstTokenMs()), ms(t.seamGapMs()), ms(t.totalMs()));
        out.printf(Locale.ROOT, "strategy: %s (continued by %s), degraded: %s%n", done.strategy(), done.continuator(),
                done.degraded() ? "yes (" + done.degradedCode() + "), " + done.degradedReason() : "no");
        for (CorrectionEvent fix : fixes) {
            out.printf(Locale.ROOT, "correction: %s (%s)%n", fix.method(), fix.reason());
        }
        if (plan != null) {
            out.printf(Locale.ROOT, "plan: profile %s, %s, %d opener words, hand off %s%n", plan.plan().profile(),
                    plan.plan().mode().name().toLowerCase(Locale.ROOT).replace('_', ' '), plan.plan().openerWords(),
                    plan.plan().handoffPoint().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            out.println("fired rules:");
            plan.plan().firedRules().forEach(rule -> out.println("  - " + rule));
        }
        out.flush();
    }

    private static PlanEvent plan(List<TimedHandoff.TimedEvent> events) {
        return events.stream().map(TimedHandoff.TimedEvent::event).filter(PlanEvent.class::isInstance)
                .map(PlanEvent.class::cast).findFirst().orElse(null);
    }

    private static List<CorrectionEvent> corrections(List<TimedHandoff.TimedEvent> events) {
        return events.stream().map(TimedHandoff.TimedEvent::event).filter(CorrectionEvent.class::isInstance)
                .map(CorrectionEvent.class::cast).toList();
    }

    static String ms(Double millis) {
        return millis == null ? "-" : String.format(Locale.ROOT, "%.1f ms", millis);
    }
}
