package io.quarkiverse.handoff.sample.eval;

import io.quarkiverse.handoff.Conversation;

/**
 * One conversation of a prompt set.
 *
 * @param line its line in the prompt file, 1-based
 * @param category what kind of request it is; the report groups by it
 * @param profile the device profile it names, or null for the command's default
 */
public record EvalConversation(int line, String category, Conversation conversation, String profile) {
}
