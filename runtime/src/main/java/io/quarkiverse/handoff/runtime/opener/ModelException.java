package io.quarkiverse.handoff.runtime.opener;

/**
 * The opener model cannot be used: the message names the file and what to do.
 */
public class ModelException extends RuntimeException {

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
