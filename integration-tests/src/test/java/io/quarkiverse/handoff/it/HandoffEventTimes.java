package io.quarkiverse.handoff.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Singleton;

import io.quarkiverse.handoff.HandoffListener;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.HandoffEvent;

/**
 * Records when each handoff event left the handoff, in {@link System#nanoTime()}, to compare with what the cloud test
 * server saw in the same JVM.
 */
@Singleton
public class HandoffEventTimes implements HandoffListener {

    public record Seen(String type, long nanos) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(HandoffRequest request, HandoffEvent event) {
        seen.add(new Seen(event.type(), System.nanoTime()));
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** When the last event of this type left, or fails. */
    public long last(String type) {
        return seen.stream().filter(s -> s.type().equals(type)).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no '" + type + "' event in " + seen)).nanos();
    }

    /** When the first event of this type left, or fails. */
    public long first(String type) {
        return seen.stream().filter(s -> s.type().equals(type)).findFirst().orElseThrow(
                () -> new AssertionError("no '" + type + "' event in " + seen)).nanos();
    }

    public void clear() {
        seen.clear();
    }
}
