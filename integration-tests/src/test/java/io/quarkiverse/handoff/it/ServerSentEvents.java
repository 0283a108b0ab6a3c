package io.quarkiverse.handoff.it;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;

/** Parses a complete Server-Sent Events body into (name, JSON data) pairs. */
public final class ServerSentEvents {

    public record Event(String name, JsonObject data) {
    }

    private ServerSentEvents() {
    }

    public static List<Event> parse(String body) {
        List<Event> events = new ArrayList<>();
        String name = null;
        StringBuilder data = new StringBuilder();
        for (String line : body.split("\r?\n", -1)) {
            if (line.isEmpty()) {
                if (name != null || data.length() > 0) {
                    events.add(new Event(name, new JsonObject(data.toString())));
                }
                name = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring("event:".length()).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring("data:".length()).strip());
            }
        }
        return events;
    }

    public static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }
}
