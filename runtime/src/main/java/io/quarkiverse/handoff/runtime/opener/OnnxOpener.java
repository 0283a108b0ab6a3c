package io.quarkiverse.handoff.runtime.opener;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.Opener;
import io.quarkiverse.handoff.OpenerRequest;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.Sampling;
import io.quarkiverse.handoff.runtime.BackgroundThread;
import io.quarkiverse.handoff.runtime.config.HandoffBuildConfig;
import io.quarkiverse.handoff.runtime.config.HandoffRuntimeConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * The on-device opener: a micro language model in ONNX Runtime, decoded with its KV cache, streaming each word the
 * moment it is complete.
 * <p>
 * The model loads in the background at startup (readiness is DOWN until it is loaded and warmed); requests that come
 * earlier wait for it without blocking the event loop.
 */
@ApplicationScoped
public class OnnxOpener implements Opener {

    private static final Logger LOG = Logger.getLogger(OnnxOpener.class);
    private static final long LOADING_GRACE_SECONDS = 30;

    @Inject
    HandoffBuildConfig buildConfig;

    @Inject
    HandoffRuntimeConfig config;

    @Inject
    Event<OpenerModelLoading> loadingStage;

    private final CompletableFuture<OpenerEngine> engine = new CompletableFuture<>();
    /** Set by the first call of {@link #startLoading()}, the only one that does something. */
    private final AtomicBoolean startRequested = new AtomicBoolean();
    private volatile boolean loadingStarted;
    private volatile LocalFinishText finishText;

    /**
     * Starts loading the model in the background, once: early in the run time's initialization, from
     * BackgroundStartRecorder.
     */
    public void startLoading() {
        if (!startRequested.compareAndSet(false, true)) {
            return;
        }
        finishText = LocalFinishText.forLanguage(config.opener().language());
        if (!buildConfig.opener().enabled()) {
            engine.completeExceptionally(new ModelException(
                    "the on-device opener is disabled (quarkus.handoff.opener.enabled=false)"));
            return;
        }
        loadingStarted = true;
        BackgroundThread.start("handoff-opener-loader", this::load);
    }

    private void load() {
        long start = System.nanoTime();
        try {
            loadingStage.fire(new OpenerModelLoading(buildConfig.opener().model()));
            OpenerEngine loaded = OpenerEngine.load(ModelDirectory.of(buildConfig.opener().model()),
                    buildConfig.opener().modelFile(),
                    config.opener());
            if (config.opener().warmUp()) {
                warmUp(loaded);
            }
            engine.complete(loaded);
            LOG.infof("Opener model %s loaded%s in %.0f ms", buildConfig.opener().model(),
                    config.opener().warmUp() ? " and warmed" : "",
                    (System.nanoTime() - start) / 1e6);
        } catch (RuntimeException | Error e) {
            LOG.errorf("The opener model %s cannot be used: %s", buildConfig.opener().model(), e.getMessage());
            engine.completeExceptionally(e);
        }
    }

    private static void warmUp(OpenerEngine loaded) {
        int[] prompt = loaded.prompt(List.of(ChatMessage.user("Hello")), Optional.empty(), 4);
        loaded.generate(prompt, Sampling.GREEDY, 4, (text, p) -> true, () -> false);
    }

    /** Whether the model's loading started (it may be done). */
    public boolean isLoadingStarted() {
        return loadingStarted;
    }

    /** Whether the model is loaded and warmed, for readiness. */
    @Override
    public boolean isReady() {
        // the engine completes only once loaded and warmed
        return engine.isDone() && !engine.isCompletedExceptionally();
    }

    /** Why the model cannot be used, when loading failed. */
    public Optional<Throwable> failure() {
        if (!engine.isCompletedExceptionally()) {
            return Optional.empty();
        }
        try {
            engine.join();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(e.getCause() != null ? e.getCause() : e);
        }
    }

    /** The loaded engine, once loading finished. */
    public Uni<OpenerEngine> engine() {
        // a copy per subscriber: Mutiny cancels the stage it waits on when its subscriber goes away, and one request
        // given up while the model loads must not cancel the loading for everyone
        return Uni.createFrom().completionStage(engine::copy)
                .onFailure(CompletionException.class).transform(Throwable::getCause);
    }

    @Override
    public String name() {
        return buildConfig.opener().model();
    }

    @Override
    public Multi<OpenerWord> open(OpenerRequest request) {
        return engine().onItem().transformToMulti(
                loaded -> open(loaded, request, config.opener().maxNewTokens(), config.opener().timeBudget()));
    }

    /**
     * The opener of one request on a loaded engine, as {@link #open} streams it (without waiting for the model to
     * load): words as they complete, decoding stops when the subscription is cancelled.
     */
    static Multi<OpenerWord> open(OpenerEngine loaded, OpenerRequest request, int maxNewTokens, Duration timeBudget) {
        return Multi.createFrom().<OpenerWord> emitter(
                emitter -> decode(loaded, request, maxNewTokens, timeBudget, emitter))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static void decode(OpenerEngine loaded, OpenerRequest request, int maxNewTokens, Duration timeBudget,
            MultiEmitter<? super OpenerWord> emitter) {
        try {
            loaded.open(request.conversation().messages(), request.plan(), maxNewTokens, timeBudget, request.clock(),
                    new OpenerEngine.OpenerListener() {
                        @Override
                        public void onWord(OpenerWord word) {
                            emitter.emit(word);
                        }

                        @Override
                        public void onStop(OpenerStop stop) {
                            // before the stream completes: the handoff reads it once the opener is done
                            request.onStop().accept(stop.report());
                        }
                    }, emitter::isCancelled);
            emitter.complete();
        } catch (RuntimeException e) {
            emitter.fail(e);
        }
    }

    @Override
    public Multi<String> finishLocally(Conversation conversation, String replySoFar, HandoffPlan plan) {
        return engine().onItem().transformToMulti(loaded -> Multi.createFrom().<String> emitter(
                emitter -> continueLocally(loaded, conversation, replySoFar, plan, emitter)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * The honest finish of a reply the device must end alone: the words that close the current sentence (or an
     * ellipsis when the model cannot close it in a few grounded words), then one plain sentence saying that the answer
     * cannot be finished now ({@link LocalFinishText}).
     */
    private void continueLocally(OpenerEngine loaded, Conversation conversation, String replySoFar, HandoffPlan plan,
            MultiEmitter<? super String> emitter) {
        try {
            String notice = finishText.notice();
            if (!replySoFar.isBlank()) {
                if (!WordAssembler.endsSentence(replySoFar)) {
                    emitter.emit(loaded.closeSentence(conversation.messages(), replySoFar, plan,
                            config.opener().maxLocalTokens(), emitter::isCancelled).orElse(LocalFinishText.UNFINISHED));
                }
                notice = " " + notice;
            }
            if (!emitter.isCancelled()) {
                emitter.emit(notice);
                emitter.complete();
            }
        } catch (RuntimeException e) {
            emitter.fail(e);
        }
    }

    /**
     * Closes the model at shutdown. A model still loading is waited for (ONNX Runtime crashes the process when the
     * application stops under a session being created), up to a bound so that shutdown never hangs.
     */
    @PreDestroy
    void close() {
        if (!loadingStarted) {
            return;
        }
        try {
            engine.get(LOADING_GRACE_SECONDS, TimeUnit.SECONDS).close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | CancellationException e) {
            // it never loaded: nothing to close
        } catch (TimeoutException e) {
            LOG.warnf("The opener model %s was still loading after %d s at shutdown: it is not closed",
                    buildConfig.opener().model(), LOADING_GRACE_SECONDS);
            engine.thenAccept(OpenerEngine::close);
        }
    }
}
