package io.quarkiverse.handoff.sample.cli;

import java.util.concurrent.Callable;

import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;

/** Serves the HTTP API until the process is stopped (Ctrl+C, SIGTERM). */
@Command(name = ServeCommand.NAME, mixinStandardHelpOptions = true, description = "Serve the HTTP API (POST /v1/handoff, health under /q/health) until stopped. The default "
        + "command. Configure it with the usual Quarkus properties, e.g. -Dquarkus.http.port=8080.")
public class ServeCommand implements Callable<Integer> {

    static final String NAME = "serve";

    @Override
    public Integer call() {
        Quarkus.waitForExit();
        return 0;
    }
}
