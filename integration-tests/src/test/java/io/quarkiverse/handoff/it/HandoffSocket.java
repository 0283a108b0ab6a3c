package io.quarkiverse.handoff.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * A handoff read event by event as it streams, on a raw socket to the application: for tests that act in the middle of
 * a handoff (script the cloud from what the user was shown, or go away). Closing it is the client going away.
 */
final class HandoffSocket implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;

    HandoffSocket(String body) throws IOException {
        this(RestAssured.port, body);
    }

    /** A handoff on the application listening on that port of 127.0.0.1 (a packaged one). */
    HandoffSocket(int port, String body) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/handoff HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: text/event-stream\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads the (chunked) stream until an event of that name, and returns its data. */
    JsonObject next(String event) throws IOException {
        String line;
        boolean inEvent = false;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("event:")) {
                inEvent = line.substring("event:".length()).strip().equals(event);
            } else if (inEvent && line.startsWith("data:")) {
                return new JsonObject(line.substring("data:".length()).strip());
            }
        }
        throw new AssertionError("the stream ended before the event '" + event + "'");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
