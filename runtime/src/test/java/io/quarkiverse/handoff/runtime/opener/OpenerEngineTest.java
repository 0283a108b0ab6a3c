package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ai.onnxruntime.OrtSession;
import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffClock.Milestone;
import io.quarkiverse.handoff.OpenerRequest;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.policy.Sampling;
import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig.GraphOptimization;
import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig.ThreadSpinning;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * The opener on a real (tiny, random-weight) model: where it stops, cancellation, concurrency. The tiny model writes
 * byte soup, but deterministic byte soup under greedy decoding: each test derives its expectation from a long greedy
 * run of the same prompt.
 */
class OpenerEngineTest {

    /** 48 greedy tokens without end of sequence, 14 words. */
    static final String LONG = "Hello";
    /** Greedy: a clause-ending word ("...?") several words in. */
    static final String CLAUSE = "Tell me a story.";
    /** Greedy: ends with <|endoftext|> after 19 tokens. */
    static final String ENDS = "Why is the sky blue?";

    static OpenerEngine engine;
    static ExecutorService workers;

    @BeforeAll
    static void load() {
        engine = TestModels.engine("tiny-gqa");
        // as in Quarkus, where Mutiny's default worker pool is the application's worker pool (outside Quarkus it
        // is the common fork-join pool, a single thread on a 2-core machine)
        workers = Executors.newCachedThreadPool();
        Infrastructure.setDefaultExecutor(workers);
    }

    @AfterAll
    static void close() {
        engine.close();
        Infrastructure.setDefaultExecutor(ForkJoinPool.commonPool());
        workers.shutdownNow();
    }

    record Opened(List<OpenerWord> words, List<Integer> tokens, OpenerEngine.StopReason reason, HandoffClock clock) {
        List<String> texts() {
            return words.stream().map(OpenerWord::text).toList();
        }

        String text() {
            return String.join("", texts());
        }
    }

    static Opened open(String user, HandoffPlan plan, int maxTokens, Duration budget) {
        OpenerTranscript transcript = new OpenerTranscript();
        HandoffClock clock = HandoffClock.start();
        OpenerEngine.StopReason reason = engine.open(List.of(ChatMessage.user(user)), plan, maxTokens, budget, clock,
                transcript, () -> false);
        return new Opened(transcript.words(), transcript.tokens(), reason, clock);
    }

    static Opened open(String user, HandoffPlan plan) {
        return open(user, plan, 48, Duration.ofSeconds(30));
    }

    /** Every word of the greedy reply, until end of sequence or 48 tokens. */
    static Opened all(String user) {
        return open(user, TestModels.words(1000));
    }

    @Test
    void greedyOpenerMatchesTheTransformersReference() throws Exception {
        // reference.json's chat-single-turn case: the same conversation through prompt() + open()
        var reference = ReferenceDecodingTest.reference("tiny-gqa");
        for (var c : reference.get("cases")) {
            if (!"chat-single-turn".equals(c.get("name").asText())) {
                continue;
            }
            String user = c.get("messages").get(0).get("content").asText();
            assertThat(engine.prompt(List.of(ChatMessage.user(user)), Optional.empty(), 48))
                    .containsExactly(ReferenceDecodingTest.ints(c.get("prompt_ids")));
            Opened opened = all(user);
            int[] expected = ReferenceDecodingTest.ints(c.get("continuation_ids"));
            assertThat(opened.tokens()).isNotEmpty();
            for (int i = 0; i < opened.tokens().size(); i++) {
                assertThat(opened.tokens().get(i)).as("token %d", i).isEqualTo(expected[i]);
            }
            // the reference continues past <|endoftext|> (id 0), which ends the opener
            assertThat(opened.reason()).isEqualTo(OpenerEngine.StopReason.END_OF_SEQUENCE);
            assertThat(expected[opened.tokens().size()]).isZero();
        }
    }

    @Test
    void thePromptHeadIsPrefilledOnceAndDecodesExactlyAsAFullPrefill() throws Exception {
        // the template's head (system turn, user header) is cached at load time
        assertThat(engine.headTokens()).isGreaterThan(5);
        var reference = ReferenceDecodingTest.reference("tiny-gqa");
        int chats = 0;
        for (var c : reference.get("cases")) {
            if (!"chat".equals(c.get("kind").asText())) {
                continue;
            }
            chats++;
            // chat-with-system has its own system turn: it does not start with the head and is prefilled whole
            int[] prompt = ReferenceDecodingTest.ints(c.get("prompt_ids"));
            int[] expected = ReferenceDecodingTest.ints(c.get("continuation_ids"));
            List<Integer> tokens = new ArrayList<>();
            engine.generate(prompt, Sampling.GREEDY, expected.length, collecting(tokens), () -> false);
            assertThat(tokens).as(c.get("name").asText()).isNotEmpty();
            for (int i = 0; i < tokens.size(); i++) {
                assertThat(tokens.get(i)).as("%s token %d", c.get("name").asText(), i).isEqualTo(expected[i]);
            }
        }
        assertThat(chats).isEqualTo(3);
    }

    @Test
    void stopsAfterTheNthWord() {
        Opened full = all(LONG);
        assertThat(full.words()).hasSizeGreaterThan(6);
        assertThat(full.reason()).isEqualTo(OpenerEngine.StopReason.MAX_TOKENS);

        long before = engine.forwardSteps();
        Opened three = open(LONG, TestModels.words(3));
        long steps = engine.forwardSteps() - before;
        assertThat(three.texts()).isEqualTo(full.texts().subList(0, 3));
        assertThat(three.reason()).isEqualTo(OpenerEngine.StopReason.SINK);
        // it stopped right at the token that completed the 3rd word: one prefill plus one step per earlier token
        assertThat(three.tokens()).hasSizeLessThan(full.tokens().size());
        assertThat(steps).isEqualTo(three.tokens().size());
        assertThat(three.clock().isMarked(Milestone.OPENER_FIRST_TOKEN)).isTrue();
        assertThat(three.clock().isMarked(Milestone.OPENER_FIRST_WORD)).isTrue();
        assertThat(three.clock().isMarked(Milestone.OPENER_DONE)).isTrue();
    }

    @Test
    void stopsAtAClauseBoundaryWhenThePlanAsks() {
        List<String> full = all(CLAUSE).texts();
        int words = 4;
        int boundary = -1;
        for (int i = words - 1; i < full.size(); i++) {
            if (WordAssembler.endsClause(full.get(i))) {
                boundary = i + 1;
                break;
            }
        }
        assertThat(boundary).as("the greedy reply to '%s' has a clause end after word %d: %s", CLAUSE, words, full)
                .isGreaterThan(words).isLessThanOrEqualTo(2 * words);

        Opened clause = open(CLAUSE, TestModels.plan(words, HandoffPoint.CLAUSE_BOUNDARY, 0));
        assertThat(clause.texts()).isEqualTo(full.subList(0, boundary));
        assertThat(WordAssembler.endsClause(clause.texts().get(boundary - 1))).isTrue();

        // AFTER_WORDS on the same prompt stops earlier, mid-clause
        assertThat(open(CLAUSE, TestModels.words(words)).texts()).hasSize(words);
    }

    @Test
    void stopsOnAConfidenceDrop() {
        Opened full = all(LONG);
        List<Double> confidences = full.words().stream().map(OpenerWord::confidence).toList();
        int planned = 10;
        // a threshold just above the least confident of words 2..planned: the opener stops before the first word
        // under it
        double lowest = confidences.subList(1, planned).stream().min(Double::compare).orElseThrow();
        double threshold = Math.nextUp(lowest);
        int expected = 1;
        while (confidences.get(expected) >= threshold) {
            expected++;
        }
        Opened dropped = open(LONG, TestModels.plan(planned, HandoffPoint.CONFIDENCE_DROP, threshold));
        assertThat(dropped.texts()).isEqualTo(full.texts().subList(0, expected));
        assertThat(dropped.words()).hasSizeLessThan(planned);
        assertThat(dropped.words()).allMatch(w -> w.index() == 0 || w.confidence() >= threshold);

        // the first word is written whatever its confidence
        assertThat(open(LONG, TestModels.plan(planned, HandoffPoint.CONFIDENCE_DROP, 1.01)).texts())
                .containsExactly(full.texts().get(0));
        // a threshold no word falls under: the planned words
        assertThat(open(LONG, TestModels.plan(planned, HandoffPoint.CONFIDENCE_DROP, 0)).words()).hasSize(planned);
    }

    @Test
    void endOfSequenceWritesTheLastWord() {
        Opened opened = all(ENDS);
        assertThat(opened.reason()).isEqualTo(OpenerEngine.StopReason.END_OF_SEQUENCE);
        String decoded = engine.tokenizer().decode(opened.tokens().stream().mapToInt(Integer::intValue).toArray());
        assertThat(opened.text()).isEqualTo(decoded.stripTrailing());
        assertThat(opened.words().get(opened.words().size() - 1).text()).isNotBlank();
    }

    @Test
    void theTokenLimitNeverCutsAWord() {
        Opened full = all(LONG);
        String decoded = engine.tokenizer().decode(full.tokens().stream().mapToInt(Integer::intValue).toArray());
        // 48 tokens ended inside a word: that word is not part of the opener
        assertThat(decoded).startsWith(full.text());
        assertThat(decoded.substring(full.text().length())).as("one pending word").matches("\\s*\\S+");
        for (int limit = 1; limit <= 20; limit++) {
            Opened cut = open(LONG, TestModels.words(100), limit, Duration.ofSeconds(30));
            assertThat(cut.tokens()).hasSize(limit);
            assertThat(cut.texts()).as("limit %d", limit).isEqualTo(full.texts().subList(0, cut.words().size()));
            String cutDecoded = engine.tokenizer().decode(cut.tokens().stream().mapToInt(Integer::intValue).toArray());
            assertThat(cutDecoded.substring(cut.text().length())).as("limit %d: the dropped rest", limit)
                    .matches("\\s*\\S*");
        }
    }

    @Test
    void aSpentTimeBudgetStopsAtTheFirstToken() {
        long before = engine.forwardSteps();
        Opened opened = open(LONG, TestModels.words(8), 48, Duration.ZERO);
        assertThat(opened.tokens()).hasSize(1);
        assertThat(engine.forwardSteps() - before).as("only the prompt ran").isEqualTo(1);
        assertThat(opened.words()).isEmpty();
        assertThat(opened.reason()).isEqualTo(OpenerEngine.StopReason.SINK);
    }

    @Test
    void theTimeBudgetCommitsTheWordsWrittenSoFar() {
        List<OpenerWord> words = new ArrayList<>();
        // time passes only when the test says: each word costs its slow consumer 100 ms, decoding costs nothing
        AtomicLong now = new AtomicLong();
        OpenerEngine.StopReason reason = engine.open(List.of(ChatMessage.user(LONG)), TestModels.words(10), 48,
                Duration.ofMillis(250), HandoffClock.start(now::get), word -> {
                    words.add(word);
                    now.addAndGet(Duration.ofMillis(100).toNanos());
                }, () -> false);
        // at 100 and 200 ms the budget is not spent; the third word spends it and nothing more is decoded
        assertThat(reason).isEqualTo(OpenerEngine.StopReason.SINK);
        assertThat(words).hasSize(3);
        assertThat(all(LONG).texts().subList(0, words.size())).isEqualTo(words.stream().map(OpenerWord::text).toList());
    }

    @Test
    void cancellingStopsDecodingBeforeTheNextModelStep() {
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicLong stepsAtCancel = new AtomicLong();
        long before = engine.forwardSteps();
        OpenerEngine.StopReason reason = engine.open(List.of(ChatMessage.user(LONG)), TestModels.words(40), 48,
                Duration.ofSeconds(30), HandoffClock.start(), word -> {
                    stepsAtCancel.set(engine.forwardSteps());
                    cancelled.set(true);
                }, cancelled::get);
        assertThat(reason).isEqualTo(OpenerEngine.StopReason.CANCELLED);
        assertThat(engine.forwardSteps()).as("model steps after the cancel").isEqualTo(stepsAtCancel.get());
        assertThat(stepsAtCancel.get() - before).isLessThan(48);
    }

    @Test
    void cancellingTheSubscriptionStopsTheDecode() throws Exception {
        Opened full = all(LONG);
        HandoffPlan plan = TestModels.words(40);
        // The production stream; the subscriber takes one word and cancels (as a hand-off that no longer needs the
        // opener does), then reads the step count: the cancel has reached the decode by then, so at most the step in
        // flight may follow. The decode runs on a worker and may run ahead of the request, even to its end on a busy
        // machine, so the scenario is repeated until the cancel reaches a decode still running.
        for (int attempt = 1; attempt <= 20; attempt++) {
            OpenerRequest request = new OpenerRequest(Conversation.of(LONG), plan, HandoffClock.start());
            long before = engine.forwardSteps();
            TakeOneAndCancel subscriber = new TakeOneAndCancel();
            OnnxOpener.open(engine, request, 48, Duration.ofSeconds(30)).subscribe().withSubscriber(subscriber);
            assertThat(subscriber.done.await(10, TimeUnit.SECONDS)).as("a word arrived").isTrue();
            assertThat(subscriber.failure).isNull();
            assertThat(subscriber.taken).extracting(OpenerWord::text).containsExactly(full.texts().get(0));
            long stepsAtCancel = subscriber.stepsAfterCancel;
            if (stepsAtCancel - before >= full.tokens().size() - 1) {
                continue; // the decode had already finished: nothing to stop
            }
            // give the worker time to run on if it were going to
            Thread.sleep(300);
            assertThat(engine.forwardSteps()).as("model steps after the cancel: at most the one in flight")
                    .isBetween(stepsAtCancel, stepsAtCancel + 1);
            return;
        }
        fail("in 20 attempts the cancel never reached a decode that was still running");
    }

    /** Requests one word, cancels when it arrives, and only then reads the decode's step count. */
    static final class TakeOneAndCancel implements MultiSubscriber<OpenerWord> {
        final List<OpenerWord> taken = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        volatile long stepsAfterCancel = -1;
        volatile Throwable failure;
        private volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onItem(OpenerWord word) {
            taken.add(word);
            subscription.cancel();
            stepsAfterCancel = engine.forwardSteps();
            done.countDown();
        }

        @Override
        public void onFailure(Throwable failure) {
            this.failure = failure;
            done.countDown();
        }

        @Override
        public void onCompletion() {
            done.countDown();
        }
    }

    @Test
    void concurrentDecodesOnOneSessionEqualSequentialOnes() throws Exception {
        List<String> prompts = List.of(LONG, CLAUSE, ENDS, "What time is it?", "Who wrote Hamlet?",
                "Set a timer for ten minutes.", "How are you today?", "Can you help me plan a trip?");
        List<List<Integer>> sequential = new ArrayList<>();
        for (String p : prompts) {
            sequential.add(greedyTokens(p));
        }
        ExecutorService pool = Executors.newFixedThreadPool(prompts.size());
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<List<Integer>>> futures = new ArrayList<>();
                for (String p : prompts) {
                    futures.add(pool.submit(() -> greedyTokens(p)));
                }
                for (int i = 0; i < prompts.size(); i++) {
                    assertThat(futures.get(i).get()).as("round %d prompt '%s'", round, prompts.get(i))
                            .isEqualTo(sequential.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPlanOfZeroWordsRunsNoModel() {
        long before = engine.forwardSteps();
        assertThat(open(LONG, TestModels.words(0)).words()).isEmpty();
        assertThat(engine.forwardSteps()).isEqualTo(before);
    }

    @Test
    void aConversationLongerThanTheWindowStillGetsItsOpener() {
        String question = "word ".repeat(400) + LONG;
        assertThat(engine.prompt(List.of(ChatMessage.user(question)), Optional.empty(), 48).length)
                .as("the opener sees a window of it").isLessThanOrEqualTo(engine.modelConfig().maxPositions() - 48);
        Opened opened = open(question, TestModels.words(3));
        assertThat(opened.words()).isNotEmpty();
        assertThat(opened.reason()).isIn(OpenerEngine.StopReason.SINK, OpenerEngine.StopReason.END_OF_SEQUENCE);
    }

    @ParameterizedTest
    @EnumSource(ThreadSpinning.class)
    void threadSpinningSetsOnnxRuntimesSpinningOptions(ThreadSpinning spinning) throws Exception {
        try (OrtSession.SessionOptions options = OpenerEngine.sessionOptions(
                new StandaloneOpenerConfig(2, spinning, GraphOptimization.ALL, true, 48, Duration.ofSeconds(1)))) {
            Map<String, String> entries = options.getConfigEntries();
            assertThat(entries).containsEntry("session.intra_op.allow_spinning",
                    spinning == ThreadSpinning.OFF ? "0" : "1");
            if (spinning == ThreadSpinning.WITHIN_STEP) {
                assertThat(entries).containsEntry("session.force_spinning_stop", "1");
            } else {
                assertThat(entries).doesNotContainKey("session.force_spinning_stop");
            }
        }
    }

    @Test
    void seededSamplingIsReproducible() {
        HandoffPlan plan = TestModels.words(6).withSampling(new Sampling(0.8, 0.9, 0, 1.1, 99L));
        Opened a = open(LONG, plan);
        Opened b = open(LONG, plan);
        assertThat(a.tokens()).isEqualTo(b.tokens());
        assertThat(a.texts()).isEqualTo(b.texts());
    }

    static List<Integer> greedyTokens(String user) {
        List<Integer> tokens = new ArrayList<>();
        int[] prompt = engine.prompt(List.of(ChatMessage.user(user)), Optional.empty(), 48);
        engine.generate(prompt, Sampling.GREEDY, 32, collecting(tokens), () -> false);
        return tokens;
    }

    /** A sink that keeps the generated token ids and never stops the decode. */
    static OpenerEngine.TokenSink collecting(List<Integer> tokens) {
        return new OpenerEngine.TokenSink() {
            @Override
            public boolean onToken(String text, double probability) {
                return true;
            }

            @Override
            public boolean onToken(int token, String text, double probability) {
                if (token >= 0) {
                    tokens.add(token);
                }
                return true;
            }
        };
    }
}
