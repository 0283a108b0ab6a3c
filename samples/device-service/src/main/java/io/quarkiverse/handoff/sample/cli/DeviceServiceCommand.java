package io.quarkiverse.handoff.sample.cli;

import java.util.concurrent.Callable;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The top-level command: without a subcommand it serves, as {@code serve} does. */
@TopCommand
@Command(name = "device-service", mixinStandardHelpOptions = true, version = "quarkus-handoff device service 1.0",
        description = "The quarkus-handoff sample device service. Without a command it serves the HTTP API "
                + "(POST /v1/handoff), as 'serve' does.",
        subcommands = { ServeCommand.class, AskCommand.class, BenchCommand.class, PolicyCommand.class,
                TokenizeCommand.class, OpenerCommand.class })
public class DeviceServiceCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return new ServeCommand().call();
    }
}
