package io.quarkiverse.handoff.runtime.continuator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a {@code text/event-stream} body into its events as the bytes arrive, by the rules of the HTML standard:
 * lines end with LF, CRLF or CR (also when a chunk boundary falls between CR and LF), {@code data:} lines of one event
 * are joined with LF, {@code event:} names it, a line starting with {@code :} is a comment, a blank line dispatches
 * the event. An event not ended by a blank line when the body ends is never dispatched, as the standard says: the body
 * was cut in the middle of it. Lines are decoded as UTF-8 only once complete, so a character split between two chunks
 * is read whole.
 */
final class ServerSentEventReader {

    /** Receives each complete event. */
    @FunctionalInterface
    interface Listener {
        /**
         * @param name the event's name ({@code message} when the event has none)
         * @param data the event's data lines joined with LF
         */
        void onEvent(String name, String data);
    }

    /** The name of an event that names none. */
    static final String MESSAGE = "message";

    private final Listener listener;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String name;
    private boolean afterCr;

    ServerSentEventReader(Listener listener) {
        this.listener = listener;
    }

    /** Reads the next bytes of the body. */
    void feed(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n' && afterCr) {
                afterCr = false; // the LF of a CRLF whose CR already ended the line
                continue;
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
                line(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    private void line(String text) {
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.startsWith(":")) {
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> name = value;
            default -> {
                // id and retry concern reconnecting, which a chat completion never does
            }
        }
    }

    private void dispatch() {
        if (hasData) {
            listener.onEvent(name == null || name.isEmpty() ? MESSAGE : name, data.toString());
        }
        data.setLength(0);
        hasData = false;
        name = null;
    }
}
