package io.quarkiverse.handoff.sample.cli;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * The entry point of the device service: {@code serve} (the default, with no arguments) runs the HTTP service until
 * it is stopped; the tool commands ({@code tokenize}, {@code opener}) run and exit.
 * <p>
 * Tool commands take a fast path: the HTTP listener is not opened (so they run next to a serving instance and need no
 * free port), logging goes to stderr at WARN (stdout carries the command's output, e.g. JSON) and the application's
 * own opener model is not warmed up.
 * <p>
 * {@code bench} also starts its {@link SimulatedCloud} first and points the application's quarkus-langchain4j OpenAI
 * provider at it, since the provider is configured when the application starts.
 */
@QuarkusMain
public class DeviceServiceMain implements QuarkusApplication {

    /** Configuration of a tool run: set as system properties before Quarkus starts, removed when it ends. */
    static final Map<String, String> TOOL_MODE = Map.of(
            "quarkus.http.host-enabled", "false",
            "quarkus.banner.enabled", "false",
            "quarkus.log.level", "WARN",
            "quarkus.log.console.stderr", "true",
            DeviceServiceMain.OPENER_WARM_UP, "false");

    /** Not turned off for the commands that run handoffs: their timings are those of a warmed, serving device. */
    static final String OPENER_WARM_UP = "quarkus.handoff.opener.warm-up";

    /** Created for a command line only: picocli's model of every command is not built for the bare service. */
    @Inject
    Instance<CommandLine> commandLine;

    public static void main(String... args) {
        Map<String, String> previous = new HashMap<>();
        if (isToolRun(args)) {
            TOOL_MODE.forEach((key, value) -> {
                if (System.getProperty(key) == null && !(isHandoffRun(args) && key.equals(OPENER_WARM_UP))) {
                    previous.put(key, null);
                    System.setProperty(key, value);
                }
            });
        }
        SimulatedCloud cloud = isBench(args) ? SimulatedCloud.start() : null;
        if (cloud != null) {
            // the bench measures the simulated cloud, whatever cloud is configured otherwise
            cloud.applicationConfig().forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
        }
        try {
            Quarkus.run(DeviceServiceMain.class, args);
        } finally {
            // only reached where Quarkus.run returns (tests): leave the JVM as it was
            previous.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
            if (cloud != null) {
                cloud.close();
            }
        }
    }

    /** The commands that run handoffs, and time them. */
    static boolean isHandoffRun(String... args) {
        return args.length > 0 && (AskCommand.NAME.equals(args[0]) || BenchCommand.NAME.equals(args[0])
                || EvalCommand.NAME.equals(args[0]));
    }

    static boolean isBench(String... args) {
        return args.length > 0 && BenchCommand.NAME.equals(args[0]);
    }

    /** Anything but {@code serve} (or no arguments, which means serve) is a tool run, help included. */
    static boolean isToolRun(String... args) {
        return args.length > 0 && !ServeCommand.NAME.equals(args[0]);
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            // the device command, as DeviceServiceCommand runs it: nothing to parse, and building picocli's model of
            // the commands (reflection over every command class) would compete with the first requests, readiness
            // among them, for the device's cores
            return new ServeCommand().call();
        }
        return CliErrors.configure(commandLine.get()).execute(args);
    }
}
