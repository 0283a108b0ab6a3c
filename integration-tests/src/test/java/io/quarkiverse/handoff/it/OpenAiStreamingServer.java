package io.quarkiverse.handoff.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A real HTTP server speaking the OpenAI chat-completions streaming protocol on 127.0.0.1, for tests: it records every
 * request body and streams back the scripted continuation as {@code chat.completion.chunk} Server-Sent Events.
 * <p>
 * It can also misbehave, one scripted {@link Behaviour} per request: fail with a status, close the connection before
 * any header, drop the connection mid-stream, stall before the first chunk or mid-stream, stream slowly, send an error
 * event or a malformed chunk mid-stream, end the body without {@code [DONE]}, send {@code [DONE]} and keep the
 * response open, or echo the opener it was sent; and it can {@link #refuseConnections() refuse connections}. It
 * records which client connection each request came on, the connection pre-warm requests, every client disconnect
 * that happened while a response was still being streamed, and every connection that closed.
 */
public final class OpenAiStreamingServer implements AutoCloseable {

    /** How the server answers one chat request. */
    public record Behaviour(Kind kind, List<String> deltas, int status, int chunks, long chunkDelayMs,
            Map<String, String> headers) {

        public Behaviour(Kind kind, List<String> deltas, int status, int chunks, long chunkDelayMs) {
            this(kind, deltas, status, chunks, chunkDelayMs, Map.of());
        }

        public enum Kind {
            STREAM,
            STATUS,
            CLOSE_BEFORE_HEADERS,
            DROP_AFTER_CHUNKS,
            STALL_BEFORE_FIRST_CHUNK,
            STALL_AFTER_CHUNKS,
            ECHO_OPENER,
            HOLD,
            ERROR_EVENT_AFTER_CHUNKS,
            MALFORMED_AFTER_CHUNKS,
            END_WITHOUT_DONE,
            DONE_WITHOUT_END,
            TOO_LONG,
            NOT_A_STREAM,
            NO_ANSWER,
            KEEPALIVE_ONLY,
            RESET_AFTER_CHUNKS,
            SPLIT_UTF8
        }

        /** Answers with this HTTP status, these headers (such as {@code Retry-After}) and an OpenAI error body. */
        public static Behaviour status(int status, Map<String, String> headers) {
            return new Behaviour(Kind.STATUS, List.of(), status, 0, 0, Map.copyOf(headers));
        }

        /** Reads the request and never answers: no status line, no headers. */
        public static Behaviour noAnswer() {
            return new Behaviour(Kind.NO_ANSWER, List.of(), 0, 0, 0);
        }

        /** Sends the headers, then only SSE comment lines ({@code : keepalive}) every {@code delayMs}, never data. */
        public static Behaviour keepaliveOnly(long delayMs) {
            return new Behaviour(Kind.KEEPALIVE_ONLY, List.of(), 0, 0, delayMs);
        }

        /** Sends the headers and the first {@code chunks} deltas, then resets the TCP connection (RST, not FIN). */
        public static Behaviour resetAfter(List<String> deltas, int chunks) {
            return new Behaviour(Kind.RESET_AFTER_CHUNKS, List.copyOf(deltas), 0, chunks, 0);
        }

        /**
         * Streams the deltas as a normal answer, but cuts the body after the first byte of every character that UTF-8
         * writes in more than one byte, and sends each piece on its own {@code delayMs} after the previous one: every
         * such character arrives split across two TCP segments.
         */
        public static Behaviour splitUtf8(List<String> deltas, long delayMs) {
            return new Behaviour(Kind.SPLIT_UTF8, List.copyOf(deltas), 0, 0, delayMs);
        }

        /** Streams these deltas, one every {@code delayMs}. */
        public static Behaviour stream(List<String> deltas, long delayMs) {
            return new Behaviour(Kind.STREAM, List.copyOf(deltas), 0, 0, delayMs);
        }

        /** Refuses the request as OpenAI refuses one longer than the model's context (HTTP 400). */
        public static Behaviour tooLong() {
            return new Behaviour(Kind.TOO_LONG, List.of(), 400, 0, 0);
        }

        /** Answers a streaming request with HTTP 200 and one JSON completion instead of an event stream. */
        public static Behaviour notAStream(List<String> deltas) {
            return new Behaviour(Kind.NOT_A_STREAM, List.copyOf(deltas), 0, 0, 0);
        }

        /** Answers with this HTTP status and an OpenAI error body. */
        public static Behaviour status(int status) {
            return new Behaviour(Kind.STATUS, List.of(), status, 0, 0);
        }

        /** Accepts the request, then closes the connection without a response. */
        public static Behaviour closeBeforeHeaders() {
            return new Behaviour(Kind.CLOSE_BEFORE_HEADERS, List.of(), 0, 0, 0);
        }

        /** Sends the headers and the first {@code chunks} deltas, then drops the connection. */
        public static Behaviour dropAfter(List<String> deltas, int chunks) {
            return new Behaviour(Kind.DROP_AFTER_CHUNKS, List.copyOf(deltas), 0, chunks, 0);
        }

        /** Sends the headers, then nothing. */
        public static Behaviour stallBeforeFirstChunk() {
            return new Behaviour(Kind.STALL_BEFORE_FIRST_CHUNK, List.of(), 0, 0, 0);
        }

        /** Sends the headers and the first {@code chunks} deltas, then nothing. */
        public static Behaviour stallAfter(List<String> deltas, int chunks) {
            return new Behaviour(Kind.STALL_AFTER_CHUNKS, List.copyOf(deltas), 0, chunks, 0);
        }

        /**
         * Sends the headers, then waits for {@link OpenAiStreamingServer#release(List)} and streams the deltas given
         * there: for a test that scripts the answer from what the handoff showed meanwhile.
         */
        public static Behaviour hold() {
            return new Behaviour(Kind.HOLD, List.of(), 0, 0, 0);
        }

        /**
         * Sends the headers and the first {@code chunks} deltas, then an OpenAI error object as the next event (what
         * OpenAI sends when the model fails mid-answer), then keeps the response open: the client must end it.
         */
        public static Behaviour errorEventAfter(List<String> deltas, int chunks) {
            return new Behaviour(Kind.ERROR_EVENT_AFTER_CHUNKS, List.copyOf(deltas), 0, chunks, 0);
        }

        /**
         * Sends the headers and the first {@code chunks} deltas, then an event whose data is not a JSON chunk, then the
         * remaining deltas, and keeps the response open: the client must stop at the malformed event and end it.
         */
        public static Behaviour malformedAfter(List<String> deltas, int chunks) {
            return new Behaviour(Kind.MALFORMED_AFTER_CHUNKS, List.copyOf(deltas), 0, chunks, 0);
        }

        /**
         * Sends the headers and the first {@code chunks} deltas, then ends the body cleanly and closes the connection,
         * without a finish reason or {@code [DONE]}: a truncated answer that looks like a normal end to HTTP.
         */
        public static Behaviour endWithoutDone(List<String> deltas, int chunks) {
            return new Behaviour(Kind.END_WITHOUT_DONE, List.copyOf(deltas), 0, chunks, 0);
        }

        /**
         * Streams every delta, then {@code data: [DONE]} without a chunk carrying a finish reason, and keeps the
         * response open: {@code [DONE]} alone must end the answer, and the client must end the response.
         */
        public static Behaviour doneWithoutEnd(List<String> deltas) {
            return new Behaviour(Kind.DONE_WITHOUT_END, List.copyOf(deltas), 0, deltas.size(), 0);
        }

        /** Streams the last {@code words} words of the opener it was sent, then these deltas. */
        public static Behaviour echoOpener(int words, List<String> rest) {
            return new Behaviour(Kind.ECHO_OPENER, List.copyOf(rest), 0, words, 0);
        }
    }

    /** A client that went away while its response was still streaming. */
    public record Disconnect(String path, int clientPort, long atNanos) {
    }

    private static final Pattern OPENER = Pattern.compile("word for word: \"(.*?)\"\\]", Pattern.DOTALL);

    /** What a model server sends when it fails after the answer began (OpenAI's error object, as one event). */
    static final String ERROR_EVENT = "{\"error\":{\"message\":\"The server had an error while processing your "
            + "request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
    /** OpenAI's answer to a request longer than the model's context. */
    static final String TOO_LONG_ERROR = "{\"error\":{\"message\":\"This model's maximum context length is 128000 "
            + "tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.\","
            + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}";
    /** An event that is not a chunk: JSON cut in the middle. */
    static final String MALFORMED_EVENT = "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\","
            + "\"choices\":[{\"de";

    private final Vertx vertx = Vertx.vertx();
    private volatile HttpServer server;
    private final int port;
    private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    private final List<Integer> requestPorts = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> requestHeaders = new CopyOnWriteArrayList<>();
    private final List<Long> requestNanos = new CopyOnWriteArrayList<>();
    private final AtomicInteger prewarms = new AtomicInteger();
    /** Every request to anything but chat/completions, as "METHOD /path". */
    private final List<String> otherPaths = new CopyOnWriteArrayList<>();
    private final Queue<HttpServerResponse> held = new ConcurrentLinkedQueue<>();
    private final List<Disconnect> disconnects = new CopyOnWriteArrayList<>();
    private final List<String> echoed = new CopyOnWriteArrayList<>();
    private final Set<Integer> closedPorts = ConcurrentHashMap.newKeySet();
    /** The connections open now, by client port. */
    private final Map<Integer, HttpConnection> open = new ConcurrentHashMap<>();
    private final List<HttpServerResponse> responses = new CopyOnWriteArrayList<>();
    private final Queue<Behaviour> next = new ConcurrentLinkedQueue<>();
    private final Queue<Behaviour> nextAnswer = new ConcurrentLinkedQueue<>();
    private volatile List<String> script = List.of(" default continuation.");
    private volatile int failureStatus;
    private volatile Behaviour everyRequest;

    public OpenAiStreamingServer() {
        port = listen(0);
    }

    private int listen(int onPort) {
        server = vertx.createHttpServer()
                .connectionHandler(connection -> {
                    int clientPort = connection.remoteAddress().port();
                    open.put(clientPort, connection);
                    connection.closeHandler(ignored -> {
                        open.remove(clientPort);
                        closedPorts.add(clientPort);
                    });
                })
                .requestHandler(this::handle);
        try {
            return server.listen(onPort, "127.0.0.1").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the OpenAI test server", e);
        }
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            int port = request.connection().remoteAddress().port();
            if (request.method() == HttpMethod.HEAD || request.method() == HttpMethod.OPTIONS) {
                // the connection pre-warm: nothing is served on the base url, as at a provider
                prewarms.incrementAndGet();
                otherPaths.add(request.method() + " " + request.path());
                request.response().setStatusCode(404).end();
                return;
            }
            if (!request.path().endsWith("/chat/completions")) {
                otherPaths.add(request.method() + " " + request.path());
                request.response().setStatusCode(404).end();
                return;
            }
            JsonObject json = body.toJsonObject();
            requestNanos.add(System.nanoTime());
            requests.add(json);
            requestPorts.add(port);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            request.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
            requestHeaders.add(headers);
            Behaviour behaviour = opener(json).isEmpty() && !nextAnswer.isEmpty() ? nextAnswer.poll() : next.poll();
            if (behaviour == null) {
                behaviour = everyRequest != null ? everyRequest
                        : failureStatus > 0 ? Behaviour.status(failureStatus) : Behaviour.stream(script, 0);
            }
            if (!json.getBoolean("stream", false)) {
                request.response().putHeader("content-type", "application/json")
                        .end(completion(String.join("", script)).encode());
                return;
            }
            answer(request, json, behaviour);
        });
    }

    /** The base url to configure as {@code quarkus.langchain4j.openai.base-url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1/";
    }

    /** The port the server listens on (when it does). */
    public int port() {
        return port;
    }

    /**
     * Stops listening and closes every open connection: until {@link #acceptConnections()} (or {@link #reset()}),
     * connecting to {@link #baseUrl()} is refused.
     */
    public void refuseConnections() {
        HttpServer listening = server;
        if (listening != null) {
            server = null;
            await(listening.close());
        }
    }

    /** Listens again on the same port after {@link #refuseConnections()}. */
    public void acceptConnections() {
        if (server == null) {
            listen(port);
        }
    }

    /** How many client connections are open now (whatever they carried, also pre-warm requests). */
    public int openConnections() {
        return open.size();
    }

    /** Closes every open client connection (and keeps listening): a test starts from no connection. */
    public void closeConnections() throws InterruptedException {
        open.values().forEach(HttpConnection::close);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!open.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    /** Waits until every connection the chat requests came on is closed, up to the timeout. */
    public boolean awaitRequestConnectionsClosed(long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!closedPorts.containsAll(requestPorts) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return closedPorts.containsAll(requestPorts);
    }

    /**
     * Waits until no chat response is left open: each one ended, or its connection closed, up to the timeout. (A
     * response that ended leaves its connection open for the client to reuse.)
     */
    public boolean awaitResponsesSettled(long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!settled() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return settled();
    }

    /**
     * How many chat responses are in progress now: neither ended nor closed. A connection open beyond these is idle,
     * kept by the client for its next request.
     */
    public int responsesInProgress() {
        return (int) responses.stream().filter(response -> !response.ended() && !response.closed()).count();
    }

    private boolean settled() {
        return responses.stream().allMatch(response -> response.ended() || response.closed());
    }

    private static void await(io.vertx.core.Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The deltas the next streamed responses send, in order. */
    public void script(List<String> deltas) {
        this.script = List.copyOf(deltas);
    }

    /** Answers every request with this HTTP status instead of a completion (0 to stop failing). */
    public void failWith(int status) {
        this.failureStatus = status;
    }

    /** How to answer every chat request that no {@link #then} behaviour is queued for (null: the script). */
    public void answerEveryRequest(Behaviour behaviour) {
        this.everyRequest = behaviour;
    }

    /** How to answer the next chat requests, one behaviour per request, before falling back to the script. */
    public void then(Behaviour... behaviours) {
        next.addAll(List.of(behaviours));
    }

    /**
     * How to answer the next chat requests that continue no opener (answers from scratch, such as a speculative
     * start), one behaviour per request, before {@link #then} applies: a test scripts them by what they are, not by
     * the order in which requests sent side by side happen to arrive.
     */
    public void thenForAnswers(Behaviour... behaviours) {
        nextAnswer.addAll(List.of(behaviours));
    }

    public List<JsonObject> requests() {
        return List.copyOf(requests);
    }

    /** The headers of each chat request (names case-insensitive). */
    public List<Map<String, String>> requestHeaders() {
        return List.copyOf(requestHeaders);
    }

    /** The client port (that is, the connection) each chat request came on. */
    public List<Integer> requestPorts() {
        return List.copyOf(requestPorts);
    }

    /** When each chat request arrived, in {@link System#nanoTime()}. */
    public List<Long> requestNanos() {
        return List.copyOf(requestNanos);
    }

    /** Waits until that many connection pre-warm requests arrived, up to the timeout. */
    /** The requests that were not chat completions, as "METHOD /path", in order. */
    public List<String> otherRequests() {
        return List.copyOf(otherPaths);
    }

    public boolean awaitPrewarms(int count, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (prewarms.get() < count && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return prewarms.get() >= count;
    }

    /**
     * Streams these deltas on the oldest response {@link Behaviour#hold() held}, waiting up to 10 s for a request to
     * be held.
     */
    public void release(List<String> deltas) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpServerResponse response;
        while ((response = held.poll()) == null) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no request is held to release");
            }
            Thread.sleep(10);
        }
        HttpServerResponse toRelease = response;
        vertx.runOnContext(ignored -> {
            if (!toRelease.closed()) {
                for (String delta : deltas) {
                    toRelease.write(event(chunk(new JsonObject().put("content", delta), null)));
                }
                finish(toRelease);
            }
        });
    }

    /** The openers the server echoed back. */
    public List<String> echoed() {
        return List.copyOf(echoed);
    }

    public List<Disconnect> disconnects() {
        return List.copyOf(disconnects);
    }

    /** Waits until a client disconnected mid-response, up to the timeout. */
    public boolean awaitDisconnect(long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < end) {
            if (!disconnects.isEmpty()) {
                return true;
            }
            Thread.sleep(20);
        }
        return !disconnects.isEmpty();
    }

    public void reset() {
        requests.clear();
        requestPorts.clear();
        requestHeaders.clear();
        prewarms.set(0);
        otherPaths.clear();
        requestNanos.clear();
        held.clear();
        disconnects.clear();
        echoed.clear();
        closedPorts.clear();
        responses.clear();
        next.clear();
        nextAnswer.clear();
        failureStatus = 0;
        everyRequest = null;
        script = List.of(" default continuation.");
        acceptConnections();
    }

    private void answer(HttpServerRequest request, JsonObject json, Behaviour behaviour) {
        HttpServerResponse response = request.response();
        responses.add(response);
        List<Long> timers = new ArrayList<>();
        int port = request.connection().remoteAddress().port();
        response.closeHandler(ignored -> {
            timers.forEach(vertx::cancelTimer);
            if (!response.ended()) {
                disconnects.add(new Disconnect(request.path(), port, System.nanoTime()));
            }
        });
        switch (behaviour.kind()) {
            case STATUS -> {
                behaviour.headers().forEach(response::putHeader);
                response.setStatusCode(behaviour.status()).putHeader("content-type", "application/json")
                        .end("{\"error\":{\"message\":\"scripted failure\",\"type\":\"server_error\"}}");
            }
            case NO_ANSWER -> {
                // the request was read; the response never starts
            }
            case KEEPALIVE_ONLY -> {
                response.setChunked(true).putHeader("content-type", "text/event-stream");
                response.write(": keepalive\n\n");
                timers.add(vertx.setPeriodic(behaviour.chunkDelayMs(), t -> {
                    if (!response.closed()) {
                        response.write(": keepalive\n\n");
                    }
                }));
            }
            case RESET_AFTER_CHUNKS -> {
                head(response);
                for (String delta : behaviour.deltas().subList(0, behaviour.chunks())) {
                    response.write(event(chunk(new JsonObject().put("content", delta), null)));
                }
                // SO_LINGER 0: the close sends a TCP RST, as a crashed server or a cut network path does
                timers.add(vertx.setTimer(50, t -> {
                    Channel channel = ((io.vertx.core.net.impl.ConnectionBase) request.connection()).channel();
                    channel.config().setOption(ChannelOption.SO_LINGER, 0);
                    channel.close();
                }));
            }
            case SPLIT_UTF8 -> {
                response.setChunked(true).putHeader("content-type", "text/event-stream");
                StringBuilder body = new StringBuilder();
                body.append(event(chunk(new JsonObject().put("role", "assistant").put("content", ""), null)));
                behaviour.deltas().forEach(delta -> body.append(event(chunk(new JsonObject().put("content", delta),
                        null))));
                body.append(event(chunk(new JsonObject(), "stop"))).append("data: [DONE]\n\n");
                List<Buffer> pieces = splitInsideCharacters(body.toString());
                if (pieces.size() == 1) {
                    throw new IllegalStateException("nothing to split: the body has no multi-byte character");
                }
                for (int i = 0; i < pieces.size(); i++) {
                    Buffer part = pieces.get(i);
                    boolean last = i == pieces.size() - 1;
                    timers.add(vertx.setTimer(behaviour.chunkDelayMs() * (i + 1), t -> {
                        if (response.closed()) {
                            return;
                        }
                        if (last) {
                            response.end(part);
                        } else {
                            response.write(part);
                        }
                    }));
                }
            }
            case TOO_LONG -> response.setStatusCode(400).putHeader("content-type", "application/json")
                    .end(TOO_LONG_ERROR);
            case NOT_A_STREAM -> response.putHeader("content-type", "application/json")
                    .end(completion(String.join("", behaviour.deltas())).encode());
            case CLOSE_BEFORE_HEADERS -> request.connection().close();
            case STREAM -> stream(response, behaviour.deltas(), behaviour.chunkDelayMs(), timers);
            case ECHO_OPENER -> {
                String opener = opener(json);
                echoed.add(opener);
                String[] words = opener.strip().split("\\s+");
                int from = Math.max(0, words.length - behaviour.chunks());
                List<String> deltas = new ArrayList<>();
                deltas.add(" " + String.join(" ", List.of(words).subList(from, words.length)));
                deltas.addAll(behaviour.deltas());
                stream(response, deltas, 0, timers);
            }
            case DROP_AFTER_CHUNKS, STALL_AFTER_CHUNKS -> {
                head(response);
                for (String delta : behaviour.deltas().subList(0, behaviour.chunks())) {
                    response.write(event(chunk(new JsonObject().put("content", delta), null)));
                }
                if (behaviour.kind() == Behaviour.Kind.DROP_AFTER_CHUNKS) {
                    timers.add(vertx.setTimer(50, t -> request.connection().close()));
                }
            }
            case ERROR_EVENT_AFTER_CHUNKS, MALFORMED_AFTER_CHUNKS -> {
                head(response);
                List<String> deltas = behaviour.deltas();
                for (String delta : deltas.subList(0, behaviour.chunks())) {
                    response.write(event(chunk(new JsonObject().put("content", delta), null)));
                }
                boolean error = behaviour.kind() == Behaviour.Kind.ERROR_EVENT_AFTER_CHUNKS;
                response.write("data: " + (error ? ERROR_EVENT : MALFORMED_EVENT) + "\n\n");
                if (!error) {
                    for (String delta : deltas.subList(behaviour.chunks(), deltas.size())) {
                        response.write(event(chunk(new JsonObject().put("content", delta), null)));
                    }
                }
            }
            case END_WITHOUT_DONE -> {
                // Connection: close, so that the connection closes once the body ended, as a cut proxy's would
                response.putHeader("connection", "close");
                head(response);
                for (String delta : behaviour.deltas().subList(0, behaviour.chunks())) {
                    response.write(event(chunk(new JsonObject().put("content", delta), null)));
                }
                response.end();
            }
            case DONE_WITHOUT_END -> {
                head(response);
                for (String delta : behaviour.deltas()) {
                    response.write(event(chunk(new JsonObject().put("content", delta), null)));
                }
                response.write("data: [DONE]\n\n");
            }
            case HOLD -> {
                head(response);
                held.add(response);
            }
            case STALL_BEFORE_FIRST_CHUNK -> {
                response.setChunked(true).putHeader("content-type", "text/event-stream");
                response.writeHead();
            }
        }
    }

    /** The text's UTF-8 bytes, cut after the first byte of each character written in more than one byte. */
    static List<Buffer> splitInsideCharacters(String text) {
        List<Buffer> pieces = new ArrayList<>();
        Buffer piece = Buffer.buffer();
        for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
            byte[] bytes = new String(Character.toChars(text.codePointAt(i)))
                    .getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 1) {
                piece.appendBytes(bytes);
                continue;
            }
            piece.appendByte(bytes[0]);
            pieces.add(piece);
            piece = Buffer.buffer().appendBytes(bytes, 1, bytes.length - 1);
        }
        pieces.add(piece);
        return pieces;
    }

    /** The opener the continuator was told about, from the last message of the request. */
    static String opener(JsonObject request) {
        JsonArray messages = request.getJsonArray("messages");
        String last = messages.getJsonObject(messages.size() - 1).getString("content");
        Matcher m = OPENER.matcher(last);
        return m.find() ? m.group(1) : "";
    }

    private static void head(HttpServerResponse response) {
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        response.write(event(chunk(new JsonObject().put("role", "assistant").put("content", ""), null)));
    }

    private void stream(HttpServerResponse response, List<String> deltas, long delayMs, List<Long> timers) {
        head(response);
        if (delayMs <= 0) {
            for (String delta : deltas) {
                response.write(event(chunk(new JsonObject().put("content", delta), null)));
            }
            finish(response);
            return;
        }
        for (int i = 0; i < deltas.size(); i++) {
            String delta = deltas.get(i);
            boolean last = i == deltas.size() - 1;
            timers.add(vertx.setTimer(delayMs * (i + 1), t -> {
                if (response.closed() || response.ended()) {
                    return;
                }
                response.write(event(chunk(new JsonObject().put("content", delta), null)));
                if (last) {
                    finish(response);
                }
            }));
        }
    }

    private static void finish(HttpServerResponse response) {
        response.write(event(chunk(new JsonObject(), "stop")));
        response.end("data: [DONE]\n\n");
    }

    private static String event(JsonObject data) {
        return "data: " + data.encode() + "\n\n";
    }

    private static JsonObject chunk(JsonObject delta, String finishReason) {
        return new JsonObject().put("id", "chatcmpl-test").put("object", "chat.completion.chunk")
                .put("created", 1).put("model", "test-model")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
                        .put("finish_reason", finishReason)));
    }

    private static JsonObject completion(String text) {
        return new JsonObject().put("id", "chatcmpl-test").put("object", "chat.completion").put("created", 1)
                .put("model", "test-model")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").put("content", text))
                        .put("finish_reason", "stop")))
                .put("usage", new JsonObject().put("prompt_tokens", 1).put("completion_tokens", 1)
                        .put("total_tokens", 2));
    }

    @Override
    public void close() {
        refuseConnections();
        vertx.close();
    }
}
