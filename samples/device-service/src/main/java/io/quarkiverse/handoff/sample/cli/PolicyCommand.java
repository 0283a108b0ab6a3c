package io.quarkiverse.handoff.sample.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code policy} command group: tools for the handoff rules. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Inspect the handoff policies (the Drools rules compiled into this application).", subcommands = {
        PolicyExplainCommand.class })
public class PolicyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** Without a subcommand, say which ones exist. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "missing a policy command: use 'policy explain'");
    }
}
