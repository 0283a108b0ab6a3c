package io.quarkiverse.handoff.sample.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

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
            // picocli starts some of its messages with "Error: ", which would follow our own "error: "
            String message = oneLine(e.getMessage()).replaceFirst("^Error: ", "");
            err.println("error: " + message + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
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
        if (t instanceof FileSystemException file) {
            // its message is often the bare path: say what went wrong with it
            return oneLine("cannot use " + file.getFile() + ": " + problem(file));
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName() + (t.getCause() != null ? ": " + message(t.getCause()) : "");
        }
        return oneLine(message);
    }

    private static String problem(FileSystemException file) {
        if (file.getReason() != null && !file.getReason().isBlank()) {
            return file.getReason();
        }
        if (file instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (file instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (file instanceof FileAlreadyExistsException) {
            return "a file of that name already exists";
        }
        if (file instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (file instanceof DirectoryNotEmptyException) {
            return "the directory is not empty";
        }
        return "the file system refused it";
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
