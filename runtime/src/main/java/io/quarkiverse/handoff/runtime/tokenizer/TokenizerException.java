package io.quarkiverse.handoff.runtime.tokenizer;

/**
 * A tokenizer or chat template that cannot be loaded or used as configured: an unsupported component, a malformed
 * file, an unknown chat template, or a tokenizer that does not fit the model. The message always names the file (or
 * the component) at fault.
 */
public class TokenizerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
