package io.quarkiverse.handoff.deployment.policy;

/**
 * A handoff rule file does not compile. The message names the file, the line and Drools' message.
 */
public class RuleFileException extends RuntimeException {

    public RuleFileException(String message) {
        super(message);
    }
}
