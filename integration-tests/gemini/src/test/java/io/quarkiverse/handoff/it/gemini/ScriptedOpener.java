package io.quarkiverse.handoff.it.gemini;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * An opener that says the words a test scripts, so that what the seam joins is known exactly (the demo model's words
 * depend on the prompt and on sampling). An alternative with a priority: in these tests it replaces the ONNX opener.
 */
@Alternative
@Priority(1)
@Singleton
public class ScriptedOpener implements Opener {

    private static final Pattern WORD = Pattern.compile("\\s*\\S+\\s*$|\\s*\\S+");

    private volatile String text = "";

    /** The opener the next handoffs commit, cut into words with the spaces before them. */
    void say(String opener) {
        text = opener;
    }

    @Override
    public Multi<OpenerWord> open(OpenerRequest request) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            words.add(m.group());
        }
        return Multi.createFrom().range(0, words.size()).onItem().transform(i -> {
            request.clock().mark(Milestone.OPENER_FIRST_TOKEN);
            request.clock().mark(Milestone.OPENER_FIRST_WORD);
            return new OpenerWord(i, words.get(i), 0.9, request.clock().elapsedNanos());
        });
    }

    @Override
    public Multi<String> finishLocally(Conversation conversation, String replySoFar, HandoffPlan plan) {
        return Multi.createFrom().item(" (finished on the device)");
    }

    @Override
    public String name() {
        return "scripted";
    }
}
