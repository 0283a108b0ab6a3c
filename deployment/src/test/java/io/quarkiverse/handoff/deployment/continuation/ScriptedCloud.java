package io.quarkiverse.handoff.deployment.continuation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Singleton;

import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.Continuator;
import io.smallrye.mutiny.Multi;

/**
 * A remote continuator whose answers are scripted: a plain answer (nothing said yet) streams {@link #answer}, a
 * continuation streams {@link #continuation}, each delta after {@link #CHUNK_DELAY}. It logs every request and every
 * cancel, in order, as {@code "request:<opener>"} and {@code "cancel:<opener>"}.
 */
@Singleton
public class ScriptedCloud implements Continuator {

    static final Duration CHUNK_DELAY = Duration.ofMillis(40);

    final List<String> log = new CopyOnWriteArrayList<>();
    volatile List<String> answer = List.of();
    volatile List<String> continuation = List.of();
    /** How long the plain answer waits before its first delta. */
    volatile Duration answerFirstTokenDelay = Duration.ZERO;

    void reset() {
        log.clear();
        answer = List.of();
        continuation = List.of();
        answerFirstTokenDelay = Duration.ZERO;
    }

    @Override
    public Multi<String> continueReply(ContinuationRequest request) {
        String opener = request.committedOpener();
        boolean plainAnswer = opener.isBlank();
        return Multi.createFrom().deferred(() -> {
            log.add("request:" + opener);
            List<String> deltas = plainAnswer ? answer : continuation;
            Duration firstDelay = plainAnswer ? answerFirstTokenDelay : Duration.ZERO;
            Multi<String> stream = Multi.createFrom().range(0, deltas.size())
                    .onItem().call(i -> io.smallrye.mutiny.Uni.createFrom().voidItem().onItem().delayIt()
                            .by(i == 0 ? firstDelay.plus(CHUNK_DELAY) : CHUNK_DELAY))
                    .onItem().transform(deltas::get);
            return stream.onCancellation().invoke(() -> log.add("cancel:" + opener));
        });
    }

    @Override
    public String strategy() {
        return "instruction";
    }

    @Override
    public String name() {
        return "scripted-cloud";
    }
}
