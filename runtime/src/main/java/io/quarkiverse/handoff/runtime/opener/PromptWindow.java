package io.quarkiverse.handoff.runtime.opener;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.runtime.tokenizer.ChatTemplate;
import io.quarkiverse.handoff.runtime.tokenizer.Tokenizer;

/**
 * Fits a conversation of any length into the opener model's context window, leaving room for the tokens it is to
 * write. The opener only needs the gist of the conversation to start a reply; the cloud always gets all of it.
 * <p>
 * What the window keeps, in this order of priority:
 * <ol>
 * <li>the system text (every system message, and the configured system prompt when the conversation does not start
 * with one), the user's last turn
 * and the reply written so far (a local finish continues it);</li>
 * <li>then as many earlier turns as fit, newest first, each whole: the window is cut at turn boundaries.</li>
 * </ol>
 * When the first three alone do not fit, the reply so far keeps its end, the system text its beginning (each down to
 * a quarter of the room at least), and the last user turn gets the rest, keeping its end (the question usually comes
 * last). Texts are cut after whitespace where there is some.
 * <p>
 * Length is checked before tokenizing: a text longer than {@link Tokenizer#longestTokenChars() the longest token}
 * times the window (twice, for normalizers that shorten text) cannot fit whole, so only its part that could fit is
 * ever tokenized, and an earlier turn that long ends the window. The prompt is always rendered and tokenized whole at
 * the end, so the window holds whatever the chat template adds.
 */
final class PromptWindow {

    private final Function<String, int[]> encoder;
    private final int longestTokenChars;
    private final ChatTemplate template;
    private final Optional<ChatMessage> systemPrompt;
    private final int window;
    /** Template tokens one more turn adds besides its content (role header, end of turn). */
    private final int turnOverhead;

    PromptWindow(Tokenizer tokenizer, ChatTemplate template, Optional<ChatMessage> systemPrompt, int window) {
        this(tokenizer::encode, tokenizer.longestTokenChars(), template, systemPrompt, window);
    }

    /**
     * @param encoder the tokenizer's encoding of a text
     * @param longestTokenChars the most characters one token stands for
     */
    PromptWindow(Function<String, int[]> encoder, int longestTokenChars, ChatTemplate template,
            Optional<ChatMessage> systemPrompt, int window) {
        this.encoder = encoder;
        this.longestTokenChars = longestTokenChars;
        this.template = template;
        this.systemPrompt = systemPrompt;
        this.window = window;
        int one = render(List.of(ChatMessage.user("z")), Optional.empty()).length;
        int three = render(List.of(ChatMessage.user("x"), ChatMessage.assistant("y"), ChatMessage.user("z")),
                Optional.empty()).length;
        this.turnOverhead = Math.max(0, (three - one - tokens("x") - tokens("y") + 1) / 2);
    }

    /**
     * The prompt of a conversation, fitted to the window.
     *
     * @param messages the conversation, the user's last turn last
     * @param assistantPrefix the start of the reply already written, which the model continues
     * @param newTokens how many tokens the model is to write after the prompt (at most half the window is kept free)
     */
    int[] fit(List<ChatMessage> conversation, Optional<String> assistantPrefix, int newTokens) {
        List<ChatMessage> messages = conversation;
        if (systemPrompt.isPresent() && conversation.get(0).role() != ChatMessage.Role.SYSTEM) {
            messages = new ArrayList<>(conversation.size() + 1);
            messages.add(systemPrompt.get());
            messages.addAll(conversation);
        }
        int budget = window - Math.max(1, Math.min(newTokens, window / 2));
        int maxChars = 2 * budget * longestTokenChars;
        int last = messages.size() - 1;
        List<ChatMessage> earlier = new ArrayList<>();
        List<ChatMessage> system = new ArrayList<>();
        for (ChatMessage message : messages.subList(0, last)) {
            if (message.role() == ChatMessage.Role.SYSTEM) {
                system.add(ChatMessage.system(head(message.content(), maxChars)));
            } else {
                earlier.add(message);
            }
        }
        Window fitted = new Window(messages, system, earlier.size(),
                tail(messages.get(last).content(), maxChars), assistantPrefix.map(reply -> tail(reply, maxChars)));
        // a token is at most longestTokenChars long: texts this long cannot fit, no need to render them to know
        if (fitted.chars() > (long) budget * longestTokenChars) {
            return shrink(fitted, budget);
        }
        int[] ids = render(fitted);
        if (ids.length > budget) {
            return shrink(fitted, budget);
        }
        // earlier turns, newest first, whole: estimated from their own tokens...
        int estimate = ids.length;
        int from = earlier.size();
        while (from > 0 && earlier.get(from - 1).content().length() <= maxChars) {
            int cost = tokens(earlier.get(from - 1).content()) + turnOverhead;
            if (estimate + cost > budget) {
                break;
            }
            estimate += cost;
            from--;
        }
        // ...then checked on the rendered prompt: fewer while it is over (the template adds more than estimated)...
        int[] best = ids;
        int kept = earlier.size();
        for (int start = from; start < earlier.size(); start++) {
            int[] candidate = render(fitted.from(start));
            if (candidate.length <= budget) {
                best = candidate;
                kept = start;
                break;
            }
        }
        // ...and more while they fit (it adds less)
        for (int start = kept - 1; start >= 0 && earlier.get(start).content().length() <= maxChars; start--) {
            int[] candidate = render(fitted.from(start));
            if (candidate.length > budget) {
                break;
            }
            best = candidate;
        }
        return best;
    }

    /**
     * The system text, the last user turn and the reply so far do not fit together: the reply keeps its end and the
     * system text its beginning, each down to a quarter of the room at least; the question gets the rest and keeps its
     * end. Each text is tokenized once whole; only the cuts are tokenized again.
     */
    private int[] shrink(Window fitted, int budget) {
        int[] systemTokens = fitted.system().stream().mapToInt(message -> tokens(message.content())).toArray();
        int allSystemTokens = IntStream.of(systemTokens).sum();
        int questionTokens = tokens(fitted.question());
        int replyTokens = fitted.reply().map(this::tokens).orElse(0);
        // what the template adds around the texts: the same window with every text empty
        int room = budget - render(fitted.emptied()).length;
        if (room < 2) {
            throw new OnnxCausalLm.ContextOverflowException(window - room + 2, window,
                    "the opener model (its chat template alone)");
        }
        int quarter = room / 4;
        int replyCap = Math.min(replyTokens, Math.max(quarter, room - allSystemTokens - questionTokens));
        int systemCap = Math.min(allSystemTokens, Math.max(quarter, room - questionTokens - replyCap));
        Window cut = fitted.withReply(fitted.reply().map(reply -> keepEnd(reply, replyTokens, replyCap)))
                .withSystem(keepStart(fitted.system(), systemTokens, systemCap))
                .withQuestion(keepEnd(fitted.question(), questionTokens, room - systemCap - replyCap));
        int[] ids = render(cut);
        // the parts were counted alone: the rendered prompt may still be a little over, the question gives way
        while (ids.length > budget && !cut.question().isEmpty()) {
            int questionNow = tokens(cut.question());
            cut = cut.withQuestion(keepEnd(cut.question(), questionNow, questionNow - (ids.length - budget)));
            ids = render(cut);
        }
        if (ids.length > budget) {
            throw new OnnxCausalLm.ContextOverflowException(ids.length + window - budget, window,
                    "the opener model");
        }
        return ids;
    }

    /** System messages cut to {@code maxTokens} in all, keeping their beginning; those past the cap are left out. */
    private List<ChatMessage> keepStart(List<ChatMessage> system, int[] tokens, int maxTokens) {
        List<ChatMessage> kept = new ArrayList<>(system.size());
        int left = maxTokens;
        for (int i = 0; i < system.size() && left > 0; i++) {
            String content = system.get(i).content();
            kept.add(tokens[i] <= left ? system.get(i)
                    : ChatMessage.system(shorten(content, tokens[i], left, false)));
            left -= tokens[i];
        }
        return kept;
    }

    /**
     * The longest end of {@code text} (of {@code tokens} tokens) of at most {@code maxTokens} tokens, starting at a
     * word where possible.
     */
    private String keepEnd(String text, int tokens, int maxTokens) {
        return tokens <= maxTokens ? text : shorten(text, tokens, maxTokens, true);
    }

    /**
     * Cuts a text of {@code tokens} tokens to at most {@code maxTokens}, keeping its end or its beginning: a cut
     * proportional to the excess, then again until it fits (each cut is strictly shorter, so this ends).
     */
    private String shorten(String text, int tokens, int maxTokens, boolean keepEnd) {
        String cut = text;
        int count = tokens;
        while (count > maxTokens && !cut.isEmpty()) {
            int keep = (int) Math.min(cut.length() - 1L, (long) cut.length() * Math.max(0, maxTokens) / count);
            cut = keepEnd ? wordStart(cut, cut.length() - keep) : wordEnd(cut, keep);
            count = tokens(cut);
        }
        return cut;
    }

    /** The text from {@code from}, moved forward to the next word when the cut falls inside one. */
    private static String wordStart(String text, int from) {
        if (from <= 0) {
            return text;
        }
        int start = from;
        if (from < text.length() && !Character.isWhitespace(text.charAt(from - 1))) {
            int space = from;
            while (space < text.length() && !Character.isWhitespace(text.charAt(space))) {
                space++;
            }
            if (space < text.length()) {
                start = space + 1; // else one long word: keep its end
            }
        }
        if (start < text.length() && Character.isLowSurrogate(text.charAt(start))) {
            start++;
        }
        return text.substring(Math.min(start, text.length()));
    }

    /** The text up to {@code end}, moved back to the end of the previous word when the cut falls inside one. */
    private static String wordEnd(String text, int end) {
        if (end >= text.length()) {
            return text;
        }
        int stop = end;
        if (end > 0 && !Character.isWhitespace(text.charAt(end))) {
            int space = end;
            while (space > 0 && !Character.isWhitespace(text.charAt(space - 1))) {
                space--;
            }
            if (space > 0) {
                stop = space - 1; // else one long word: keep its beginning
            }
        }
        if (stop > 0 && Character.isHighSurrogate(text.charAt(stop - 1))) {
            stop--;
        }
        return text.substring(0, stop);
    }

    /** The last {@code maxChars} characters: more cannot fit, so more is never tokenized. */
    private static String tail(String text, int maxChars) {
        return text.length() <= maxChars ? text : wordStart(text, text.length() - maxChars);
    }

    /** The first {@code maxChars} characters. */
    private static String head(String text, int maxChars) {
        return text.length() <= maxChars ? text : wordEnd(text, maxChars);
    }

    private int tokens(String text) {
        return encoder.apply(text).length;
    }

    private int[] render(Window candidate) {
        return render(candidate.turns(), candidate.reply());
    }

    private int[] render(List<ChatMessage> turns, Optional<String> assistantPrefix) {
        return encoder.apply(assistantPrefix.isPresent()
                ? template.renderWithAssistantPrefix(turns, assistantPrefix.get())
                : template.render(turns, true));
    }

    /**
     * One candidate window: the conversation's system messages (maybe cut), its earlier turns from {@code from} on,
     * the last user turn (maybe cut) and the reply so far (maybe cut), in the conversation's order.
     */
    private record Window(List<ChatMessage> messages, List<ChatMessage> system, int from, String question,
            Optional<String> reply) {

        Window from(int earlierFrom) {
            return new Window(messages, system, earlierFrom, question, reply);
        }

        Window withSystem(List<ChatMessage> cut) {
            return new Window(messages, cut, from, question, reply);
        }

        Window withQuestion(String cut) {
            return new Window(messages, system, from, cut, reply);
        }

        Window withReply(Optional<String> cut) {
            return new Window(messages, system, from, question, cut);
        }

        /** The same window with every text empty: what the template alone adds. */
        Window emptied() {
            return new Window(messages, system.stream().map(message -> ChatMessage.system("")).toList(), from, "",
                    reply.map(text -> ""));
        }

        /** The characters of the texts that must fit. */
        long chars() {
            return question.length() + reply.map(String::length).orElse(0)
                    + system.stream().mapToLong(message -> message.content().length()).sum();
        }

        List<ChatMessage> turns() {
            List<ChatMessage> turns = new ArrayList<>();
            int systemIndex = 0;
            int earlierIndex = 0;
            for (ChatMessage message : messages.subList(0, messages.size() - 1)) {
                if (message.role() == ChatMessage.Role.SYSTEM) {
                    if (systemIndex < system.size()) {
                        turns.add(system.get(systemIndex));
                    }
                    systemIndex++;
                } else if (earlierIndex++ >= from) {
                    turns.add(message);
                }
            }
            turns.add(ChatMessage.user(question));
            return turns;
        }
    }
}
