package io.quarkiverse.handoff.sample.cli;

import java.util.concurrent.Callable;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The top-level command: without a subcommand it serves, as {@code serve} does. */
@TopCommand
@Command(name = "device-service", mixinStandardHelpOptions = true, versionProvider = DeviceServiceCommand.Version.class, description = "The quarkus-handoff sample device service. Without a command it serves the HTTP API "
        + "(POST /v1/handoff), as 'serve' does.", subcommands = { ServeCommand.class, AskCommand.class, BenchCommand.class,
                EvalCommand.class, PolicyCommand.class,
                TokenizeCommand.class, OpenerCommand.class })
public class DeviceServiceCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return new ServeCommand().call();
    }

    /** {@code -V}: the version the application was built as (Quarkus records the Maven project's version). */
    static final class Version implements IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                    .orElse("(version unknown: not built by Quarkus)");
            return new String[] { "quarkus-handoff device service " + version };
        }
    }
}
