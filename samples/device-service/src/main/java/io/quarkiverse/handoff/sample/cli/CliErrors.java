package io.quarkiverse.handoff.sample.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

import picocli.CommandLine;

/** Errors of the command line: one clear line on stderr and a non-zero exit code, never a stack trace. */
final class CliErrors {

    /** Exit code of a command that failed on its input (missing directory, bad file, empty prompt). */
    static final int FAILED = 1;

    private CliErrors() {
    }

    static CommandLine configure(CommandLine commandLine) {
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("error: " + message(e));
            cmd.getErr().flush();
            return FAILED;
        });
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("error: " + oneLine(e.getMessage()) + " (see '" + cmd.getCommandSpec().qualifiedName()
                    + " --help')");
            err.flush();
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        return commandLine;
    }

    /** The message of an error, on one line, with the cause's message when it has none of its own. */
    static String message(Throwable e) {
        Throwable t = e;
        if (t instanceof UncheckedIOException && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName() + (t.getCause() != null ? ": " + message(t.getCause()) : "");
        }
        return oneLine(message);
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
