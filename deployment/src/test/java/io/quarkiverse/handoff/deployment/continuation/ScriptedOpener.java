package io.quarkiverse.handoff.deployment.continuation;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffClock.Milestone;
import io.quarkiverse.handoff.Opener;
import io.quarkiverse.handoff.OpenerRequest;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.smallrye.mutiny.Multi;

/**
 * An opener that says the scripted words, one every {@link #WORD_DELAY}, or fails when scripted to: the handoff's
 * behaviour around an opener that commits words, says nothing or breaks, without depending on what a sampled model
 * says.
 */
@Alternative
@Priority(1)
@Singleton
public class ScriptedOpener implements Opener {

    static final Duration WORD_DELAY = Duration.ofMillis(60);

    private volatile List<String> words = List.of();
    private volatile boolean fails;

    void say(List<String> scripted) {
        words = List.copyOf(scripted);
        fails = false;
    }

    void failAtOnce() {
        words = List.of();
        fails = true;
    }

    @Override
    public Multi<OpenerWord> open(OpenerRequest request) {
        if (fails) {
            return Multi.createFrom().failure(new IllegalStateException("scripted opener failure"));
        }
        List<String> said = words;
        return Multi.createFrom().range(0, said.size())
                .onItem().call(i -> io.smallrye.mutiny.Uni.createFrom().voidItem().onItem().delayIt().by(WORD_DELAY))
                .onItem().transform(i -> {
                    request.clock().mark(Milestone.OPENER_FIRST_TOKEN);
                    request.clock().mark(Milestone.OPENER_FIRST_WORD);
                    return new OpenerWord(i, said.get(i), 0.9, request.clock().elapsedNanos());
                });
    }

    @Override
    public Multi<String> finishLocally(Conversation conversation, String replySoFar, HandoffPlan plan) {
        return Multi.createFrom().item(" Sorry, I cannot reach the cloud.");
    }

    @Override
    public String name() {
        return "scripted";
    }
}
