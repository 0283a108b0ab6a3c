package io.quarkiverse.handoff.sample.grounding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.Sampling;
import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.handoff.runtime.opener.OpenerEngine;
import io.quarkiverse.handoff.runtime.opener.OpenerStop;
import io.quarkiverse.handoff.runtime.opener.WordAssembler;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import io.quarkiverse.handoff.runtime.text.EnglishWords;
import io.quarkiverse.handoff.sample.grounding.EverydayPrompts.Opened;
import io.quarkiverse.handoff.sample.grounding.EverydayPrompts.Prompt;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With the default rules and the demo model, on the everyday prompts of {@code everyday-prompts.tsv}: no opener says a
 * number or a name that the conversation does not contain, and no speech opener ends mid-phrase. Every built-in
 * profile, greedy and three seeded samples of the rules' sampling: whatever the model writes, the guard holds.
 */
@QuarkusTest
class EverydayOpenersTest {

    static final int SEEDS = 3;

    @Inject
    PolicyEngine policy;

    @Inject
    OnnxOpener opener;

    @Test
    void noOpenerSaysAnUngroundedNumberOrNameAndNoSpeechOpenerEndsMidPhrase() {
        OpenerEngine engine = opener.engine().await().indefinitely();
        List<String> failures = new ArrayList<>();
        int spoken = 0;
        for (Prompt prompt : EverydayPrompts.load()) {
            for (String profile : EverydayPrompts.PROFILES) {
                HandoffPlan plan = policy.plan(new HandoffRequest(Conversation.of(prompt.text()), profile, null),
                        "test");
                for (long seed = 0; seed <= SEEDS; seed++) {
                    HandoffPlan sampled = plan.withSampling(seed == 0 ? Sampling.GREEDY
                            : new Sampling(plan.sampling().temperature(), plan.sampling().topP(), 0, 1.0, seed));
                    Opened opened = EverydayPrompts.open(engine, prompt.text(), sampled);
                    String row = profile + " " + sampled.sampling() + " '" + prompt.text() + "' -> '" + opened.text()
                            + "' (" + opened.stop().describe() + ")";
                    List<String> words = opened.words().stream().map(OpenerWord::text).toList();
                    List<String> facts = EverydayPrompts.ungroundedFacts(words, prompt.text());
                    if (!facts.isEmpty()) {
                        failures.add("says " + facts + ": " + row);
                    }
                    if (EverydayPrompts.SPEECH_PROFILES.contains(profile) && !words.isEmpty()) {
                        spoken++;
                        if (endsMidPhrase(words.get(words.size() - 1), opened.stop())) {
                            failures.add("ends mid-phrase: " + row);
                        }
                    }
                }
            }
        }
        assertThat(spoken).as("speech openers that say something").isGreaterThan(100);
        assertThat(failures).isEmpty();
    }

    /**
     * A speech opener ends cleanly at the end of the reply, at a clause mark, before a conjunction or a preposition
     * (the next phrase), or right before a fact it must not say; never on an article, a preposition or a conjunction.
     */
    static boolean endsMidPhrase(String last, OpenerStop stop) {
        String lastWord = last.strip().toLowerCase(Locale.ROOT);
        if (EnglishWords.DETERMINERS.contains(lastWord) || EnglishWords.CONNECTORS.contains(lastWord)) {
            return true;
        }
        String next = !stop.dropped().isEmpty() ? stop.dropped().get(0) : stop.before();
        String nextWord = next == null ? "" : next.strip().toLowerCase(Locale.ROOT);
        return !(stop.reason() == OpenerStop.Reason.END_OF_REPLY || WordAssembler.endsClause(last)
                || stop.reason() == OpenerStop.Reason.UNGROUNDED_FACT
                || EnglishWords.CLAUSE_STARTERS.contains(nextWord) || EnglishWords.CONNECTORS.contains(nextWord));
    }
}
